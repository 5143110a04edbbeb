package org.heatwave.datasets;

import static org.heatwave.datasets.IdxFixtures.concat;
import static org.heatwave.datasets.IdxFixtures.gzip;
import static org.heatwave.datasets.IdxFixtures.images;
import static org.heatwave.datasets.IdxFixtures.labels;
import static org.heatwave.datasets.IdxFixtures.randomBytes;
import static org.heatwave.datasets.IdxFixtures.randomLabels;
import static org.heatwave.datasets.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    private static final long SEED = 20240611L;
    private static final int N = 7;
    private static final int ROWS = 3;
    private static final int COLS = 5;
    private static final int CLASSES = 10;
    /** Bound on what reading a lying header may allocate; the lie is 10^9 bytes. */
    private static final long ALLOCATION_BUDGET = 32L << 20;

    @TempDir
    Path dir;

    private final Random random = new Random(SEED);
    private final byte[] pixelBytes = randomBytes(random, N * ROWS * COLS);
    private final byte[] labelBytes = randomLabels(random, N, CLASSES);

    private static DatasetFormatException readImagesFails(byte[] content, String source, long length) {
        return assertThrows(DatasetFormatException.class,
                () -> IdxReader.readImages(new ByteArrayInputStream(content), source, length));
    }

    private static DatasetFormatException readLabelsFails(byte[] content, String source, long length) {
        return assertThrows(DatasetFormatException.class,
                () -> IdxReader.readLabels(new ByteArrayInputStream(content), source, length, CLASSES));
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    private LabeledImages readFiles(Path imageFile, Path labelFile, boolean knownLength) throws IOException {
        try (InputStream im = Files.newInputStream(imageFile); InputStream lb = Files.newInputStream(labelFile)) {
            return IdxReader.read(im, imageFile.getFileName().toString(), knownLength ? Files.size(imageFile) : -1,
                    lb, labelFile.getFileName().toString(), knownLength ? Files.size(labelFile) : -1, CLASSES);
        }
    }

    private void assertRoundTrip(LabeledImages set) {
        assertEquals(N, set.count());
        assertEquals(ROWS, set.height());
        assertEquals(COLS, set.width());
        assertEquals(CLASSES, set.numClasses());
        float[] expected = new float[pixelBytes.length];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = (pixelBytes[k] & 0xff) / 255f;
        }
        assertArrayEquals(expected, set.pixels());
        int[] expectedLabels = new int[N];
        for (int i = 0; i < N; i++) {
            expectedLabels[i] = labelBytes[i];
        }
        assertArrayEquals(expectedLabels, set.labels());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rawFilesRoundTrip(boolean knownLength) throws IOException {
        Path im = write(dir, "im-idx3-ubyte", images(N, ROWS, COLS, pixelBytes));
        Path lb = write(dir, "lb-idx1-ubyte", labels(labelBytes));
        LabeledImages set = readFiles(im, lb, knownLength);
        assertRoundTrip(set);
        assertEquals("im-idx3-ubyte + lb-idx1-ubyte", set.source());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gzipFilesRoundTripWhateverTheirName(boolean knownLength) throws IOException {
        Path im = write(dir, "im.gz", gzip(images(N, ROWS, COLS, pixelBytes)));
        Path lb = write(dir, "lb-without-suffix", gzip(labels(labelBytes)));
        assertRoundTrip(readFiles(im, lb, knownLength));
    }

    @Test
    void rawFileNamedGzIsReadAsRaw() throws IOException {
        Path im = write(dir, "im.gz", images(N, ROWS, COLS, pixelBytes));
        Path lb = write(dir, "lb.gz", labels(labelBytes));
        assertRoundTrip(readFiles(im, lb, true));
    }

    @Test
    void pixelsScaleByteOver255() throws IOException {
        byte[] data = {0, (byte) 128, (byte) 255, 1};
        IdxReader.Images img = IdxReader.readImages(
                new ByteArrayInputStream(images(1, 2, 2, data)), "tiny", -1);
        assertArrayEquals(new float[] {0f, 128 / 255f, 1f, 1 / 255f}, img.toFloats(0));
        assertEquals(1, img.count());
        assertEquals(2, img.rows());
        assertEquals(2, img.cols());
    }

    @Test
    void readsFromLargeGzipInSeveralChunks() throws IOException {
        int count = 3;
        int side = 1000;
        byte[] data = randomBytes(random, count * side * side);
        assertTrue(data.length > 2 * IdxReader.CHUNK_BYTES, "the data must span more than two chunks");
        IdxReader.Images img = IdxReader.readImages(
                new ByteArrayInputStream(gzip(images(count, side, side, data))), "big.gz", -1);
        assertArrayEquals(data, img.data());
    }

    @Test
    void limitKeepsTheFirstRecords() throws IOException {
        LabeledImages set = IdxReader.read(new ByteArrayInputStream(images(N, ROWS, COLS, pixelBytes)), "im", -1,
                new ByteArrayInputStream(labels(labelBytes)), "lb", -1, CLASSES, 2);
        assertEquals(2, set.count());
        assertEquals(2 * ROWS * COLS, set.pixels().length);
        assertEquals(labelBytes[1], set.labels()[1]);
    }

    @Test
    void emptyFileIsATruncatedHeader() {
        DatasetFormatException e = readImagesFails(new byte[0], "empty-idx3-ubyte", 0);
        assertMessage(e, "empty-idx3-ubyte: truncated header", "expected 16 bytes", "after 0 bytes");
    }

    @Test
    void truncatedImageHeader() {
        byte[] cut = Arrays.copyOf(images(N, ROWS, COLS, pixelBytes), 10);
        assertMessage(readImagesFails(cut, "im-idx3-ubyte", cut.length),
                "im-idx3-ubyte: truncated header", "expected 16 bytes", "after 10 bytes");
    }

    @Test
    void truncatedLabelHeaderInGzip() {
        byte[] cut = gzip(Arrays.copyOf(labels(labelBytes), 5));
        assertMessage(readLabelsFails(cut, "lb.gz", cut.length), "lb.gz: truncated header", "expected 8 bytes",
                "after 5 bytes");
    }

    @Test
    void truncatedRawDataOfUnknownLength() {
        byte[] cut = Arrays.copyOf(images(N, ROWS, COLS, pixelBytes), 16 + 20);
        assertMessage(readImagesFails(cut, "im-idx3-ubyte", -1), "im-idx3-ubyte: truncated",
                "header claims 7 images of 3x5 (105 bytes)", "data ends after 20 bytes");
    }

    @Test
    void truncatedRawDataOfKnownLength() {
        byte[] cut = Arrays.copyOf(images(N, ROWS, COLS, pixelBytes), 16 + 20);
        assertMessage(readImagesFails(cut, "im-idx3-ubyte", cut.length), "im-idx3-ubyte: truncated",
                "header claims 7 images of 3x5 (105 bytes)", "holds only 20 bytes after the header");
    }

    @Test
    void truncatedDataInsideWellFormedGzip() {
        byte[] content = gzip(Arrays.copyOf(labels(labelBytes), 8 + 4));
        assertMessage(readLabelsFails(content, "lb.gz", content.length), "lb.gz: truncated",
                "header claims 7 labels (7 bytes)", "data ends after 4 bytes");
    }

    /** Cuts into the deflate data (12 bytes) or only into the 8-byte gzip trailer (4 bytes). */
    @ParameterizedTest
    @ValueSource(ints = {4, 12})
    void gzipStreamCutShort(int cutBytes) {
        byte[] whole = gzip(images(N, ROWS, COLS, pixelBytes));
        byte[] cut = Arrays.copyOf(whole, whole.length - cutBytes);
        assertMessage(readImagesFails(cut, "im.gz", cut.length), "im.gz: truncated", "gzip stream is cut short");
    }

    @Test
    void corruptGzip() {
        byte[] content = gzip(labels(labelBytes));
        for (int k = 10; k < content.length - 8; k++) {
            content[k] = (byte) 0xff;
        }
        DatasetFormatException e = readLabelsFails(content, "lb.gz", content.length);
        assertTrue(e.getMessage().startsWith("lb.gz: "), e.getMessage());
    }

    @Test
    void wrongImageMagic() {
        byte[] content = images(0x00000802, N, ROWS, COLS, pixelBytes);
        assertMessage(readImagesFails(content, "train-images-idx3-ubyte.gz", content.length),
                "train-images-idx3-ubyte.gz: wrong magic number 0x00000802, expected 0x00000803"
                        + " (unsigned-byte images, 3 dimensions)", "unsigned-byte data with 2 dimensions");
    }

    @Test
    void labelFileGivenAsImages() {
        byte[] content = gzip(labels(labelBytes));
        assertMessage(readImagesFails(content, "lb.gz", -1),
                "lb.gz: wrong magic number 0x00000801, expected 0x00000803", "with 1 dimension");
    }

    @Test
    void wrongLabelMagic() {
        byte[] content = "PK\3\4 definitely not idx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertMessage(readLabelsFails(content, "lb.zip", content.length),
                "lb.zip: wrong magic number 0x504B0304, expected 0x00000801", "not an IDX file");
    }

    @Test
    void labelOutOfRangeNamesTheRecord() {
        byte[] bad = randomLabels(random, 100, CLASSES);
        bad[57] = 11;
        assertMessage(readLabelsFails(labels(bad), "train-labels-idx1-ubyte", -1),
                "train-labels-idx1-ubyte: label 11 at record 57 is outside 0..9");
    }

    @Test
    void labelByteAbove127IsUnsigned() {
        byte[] bad = {1, (byte) 200};
        assertMessage(readLabelsFails(labels(bad), "lb", -1), "label 200 at record 1 is outside 0..9");
    }

    @Test
    void countsThatDisagree() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(
                new ByteArrayInputStream(images(N, ROWS, COLS, pixelBytes)), "train-images-idx3-ubyte", -1,
                new ByteArrayInputStream(labels(Arrays.copyOf(labelBytes, N - 1))), "train-labels-idx1-ubyte", -1,
                CLASSES));
        assertMessage(e, "images (7) and labels (6) disagree in count: train-images-idx3-ubyte vs train-labels-idx1-ubyte");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 100_001})
    void implausibleDimension(int rows) {
        assertMessage(readImagesFails(images(N, rows, COLS, pixelBytes), "im", -1),
                "im: implausible header: " + rows + " rows");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void implausibleCount(int count) {
        assertMessage(readLabelsFails(labels(IdxReader.LABELS_MAGIC, count, labelBytes), "lb", -1),
                "lb: implausible header: it claims " + count + " labels");
    }

    @Test
    void headerClaimingMoreThanAnArrayHolds() {
        assertMessage(readImagesFails(images(10_000_000, 28, 28, pixelBytes), "im", -1),
                "im: implausible header: it claims 10000000 images of 28x28, more than");
        assertMessage(readImagesFails(images(Integer.MAX_VALUE, 100_000, 100_000, pixelBytes), "im", -1),
                "implausible header");
    }

    @Test
    void rawHeaderClaimingMoreThanTheFileIsRefusedBeforeReadingData() {
        byte[] content = images(1_000_000_000, 1, 1, new byte[84]);
        DatasetFormatException e = assertAllocatesLittle(() -> assertThrows(DatasetFormatException.class,
                () -> IdxReader.readImages(IdxFixtures.guarded(content, 16), "im-idx3-ubyte", content.length)));
        assertMessage(e, "im-idx3-ubyte: truncated: header claims 1000000000 images of 1x1 (1000000000 bytes)",
                "holds only 84 bytes after the header");
    }

    @Test
    void gzipHeaderClaimingABillionImagesFailsAsTruncatedWithoutAllocatingThem() {
        byte[] content = gzip(images(1_000_000_000, 1, 1, new byte[84]));
        assertTrue(content.length < 200);
        DatasetFormatException e = assertAllocatesLittle(() -> assertTimeout(Duration.ofSeconds(10),
                () -> readImagesFails(content, "im.gz", content.length)));
        assertMessage(e, "im.gz: truncated: header claims 1000000000 images of 1x1 (1000000000 bytes)",
                "data ends after 84 bytes");
    }

    @Test
    void labelHeaderOfUnknownLengthClaimingABillionLabels() {
        byte[] content = labels(IdxReader.LABELS_MAGIC, 1_000_000_000, labelBytes);
        DatasetFormatException e = assertAllocatesLittle(() -> readLabelsFails(content, "lb", -1));
        assertMessage(e, "lb: truncated: header claims 1000000000 labels", "data ends after 7 bytes");
    }

    @Test
    void trailingBytesInRawFileOfKnownLength() {
        byte[] content = concat(images(N, ROWS, COLS, pixelBytes), new byte[3]);
        assertMessage(readImagesFails(content, "im", content.length), "im: 3 unexpected trailing bytes",
                "header claims 7 images of 3x5 (105 bytes)");
    }

    @Test
    void trailingBytesInStreamOfUnknownLength() {
        byte[] content = concat(labels(labelBytes), new byte[] {9, 9});
        assertMessage(readLabelsFails(content, "lb", -1), "lb: 2 unexpected trailing bytes");
    }

    @Test
    void trailingBytesInsideGzip() {
        byte[] content = gzip(concat(labels(labelBytes), new byte[5]));
        assertMessage(readLabelsFails(content, "lb.gz", content.length), "lb.gz: 5 unexpected trailing bytes");
    }

    @Test
    void callerStreamIsNotClosed() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(gzip(labels(labelBytes))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        IdxReader.readLabels(in, "lb.gz", -1, CLASSES);
        assertTrue(!closed[0], "the reader closed the caller's stream");
    }

    @Test
    void imagesRecordChecksItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new IdxReader.Images("x", 2, 2, 2, new byte[7]));
    }

    @Test
    void labeledImagesValidatesAndHeads() {
        float[] px = new float[3 * 2];
        int[] lb = {0, 2, 1};
        LabeledImages set = new LabeledImages("s", 1, 2, 3, px, lb);
        assertArrayEquals(new int[] {1, 1, 1}, set.classCounts());
        assertSame(set, set.head(0));
        assertSame(set, set.head(3));
        LabeledImages two = set.head(2);
        assertEquals(2, two.count());
        assertArrayEquals(new int[] {0, 2}, two.labels());
        assertEquals(4, two.pixels().length);
        assertThrows(IllegalArgumentException.class, () -> set.head(-1));
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages("s", 1, 2, 3, new float[5], lb));
        IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class,
                () -> new LabeledImages("s", 1, 2, 3, px, new int[] {0, 3, 1}));
        assertMessage(badLabel, "s: label 3 at record 1 is outside 0..2");
        float[] nan = px.clone();
        nan[5] = Float.NaN;
        IllegalArgumentException badPixel = assertThrows(IllegalArgumentException.class,
                () -> new LabeledImages("s", 1, 2, 3, nan, lb));
        assertMessage(badPixel, "s: pixel 1 of record 2 is NaN");
    }

    /**
     * Runs {@code action} and checks that this thread allocated at most {@link #ALLOCATION_BUDGET} bytes
     * meanwhile (skipped where the JVM cannot count allocations).
     */
    private static <T> T assertAllocatesLittle(java.util.function.Supplier<T> action) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "the JVM does not count allocated bytes");
        com.sun.management.ThreadMXBean counting = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counting.isThreadAllocatedMemorySupported() && counting.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        long before = counting.getThreadAllocatedBytes(thread);
        T result = action.get();
        long allocated = counting.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < ALLOCATION_BUDGET, () -> "allocated " + allocated + " bytes");
        return result;
    }
}
