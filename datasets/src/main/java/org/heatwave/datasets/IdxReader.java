package org.heatwave.datasets;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format) with unsigned-byte images or labels, raw or gzip
 * compressed, and refuses malformed input with a {@link DatasetFormatException} naming the source.
 *
 * <p>Format: a big-endian header, then the data. The header starts with a magic number
 * {@code 0x0000TTDD}, where {@code TT} is the data type ({@code 0x08} = unsigned byte) and {@code DD} the
 * number of dimensions, followed by one 32-bit size per dimension. Images have magic
 * {@code 0x00000803} and sizes count, rows, columns; labels have magic {@code 0x00000801}
 * and size count.
 *
 * <p>Gzip is recognised by its first two bytes ({@code 0x1f 0x8b}), whatever the file is called.
 * Nothing is allocated from an unchecked header: sizes must be positive, dimensions at most
 * {@value #MAX_DIMENSION}, and the data at most {@value #MAX_BYTES} bytes. For raw input of known length,
 * a header claiming more (or less) data than the file holds is refused before any data is read; for
 * gzip or unknown length the data is read in chunks and the buffer grows only as data actually arrives,
 * so a lying header fails as "truncated" after allocating little.
 *
 * <p>Every method reads the stream to the end of the declared data (and one byte past it, to detect
 * trailing bytes) and does not close it. Record numbers in messages count from 0. Stateless and
 * thread-safe.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte IDX file with 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte IDX file with 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The largest image height or width accepted. */
    public static final int MAX_DIMENSION = 100_000;
    /** The largest data section accepted, in bytes: the largest array the JVM reliably allocates. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    static final int IMAGES_HEADER_BYTES = 16;
    static final int LABELS_HEADER_BYTES = 8;
    /** First buffer size when the data length is not known from the file length. */
    static final int CHUNK_BYTES = 1 << 20;
    /** How many trailing bytes are counted before the message just says "more than". */
    private static final int TRAILING_COUNT_LIMIT = 1 << 20;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private IdxReader() {
    }

    /**
     * The content of an IDX image file: {@code count} images of {@code rows x cols} unsigned bytes,
     * image after image, row-major.
     *
     * @param source where the data came from, used in messages
     * @param count  number of images, positive
     * @param rows   image height, positive
     * @param cols   image width, positive
     * @param data   {@code count * rows * cols} bytes, each an unsigned value 0..255; owned by this
     *               record and not to be modified (equality of records compares the array by identity)
     */
    public record Images(String source, int count, int rows, int cols, byte[] data) {

        /**
         * Checks the shape.
         *
         * @param source where the data came from
         * @param count  number of images
         * @param rows   image height
         * @param cols   image width
         * @param data   {@code count * rows * cols} bytes
         * @throws IllegalArgumentException unless {@code data} holds exactly {@code count * rows * cols} bytes
         */
        public Images {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(data, "data");
            if (count <= 0 || rows <= 0 || cols <= 0 || data.length != (long) count * rows * cols) {
                throw new IllegalArgumentException(String.format(
                        "%s: %d images of %dx%d do not fit %d bytes", source, count, rows, cols, data.length));
            }
        }

        /** @return {@code rows * cols} */
        public int pixelsPerImage() {
            return rows * cols;
        }

        /**
         * Scales the first {@code limit} images to [0, 1] as {@code (byte & 0xff) / 255f}.
         *
         * @param limit how many images; 0, or at least {@code count}, means all
         * @return a new array of {@code n * rows * cols} floats, {@code n = min(limit, count)} (all if 0)
         */
        public float[] toFloats(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0 but is " + limit);
            }
            int n = limit == 0 ? count : Math.min(limit, count);
            float[] out = new float[n * pixelsPerImage()];
            for (int k = 0; k < out.length; k++) {
                out[k] = (data[k] & 0xff) / 255f;
            }
            return out;
        }
    }

    /**
     * Reads an IDX image file (magic {@code 0x00000803}).
     *
     * @param in            the file content, raw or gzip; read but not closed
     * @param source        the file name or URI, used in messages
     * @param lengthIfKnown the raw length of the file in bytes, or -1 if unknown (ignored for gzip)
     * @return the images
     * @throws DatasetFormatException if the content is malformed
     * @throws IOException            if reading fails
     */
    public static Images readImages(InputStream in, String source, long lengthIfKnown) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        try (Input input = Input.open(in, source)) {
            byte[] header = input.readHeader(IMAGES_HEADER_BYTES, IMAGES_MAGIC, "unsigned-byte images, 3 dimensions");
            int count = intAt(header, 4);
            int rows = intAt(header, 8);
            int cols = intAt(header, 12);
            checkCount(source, count, "images");
            checkDimension(source, rows, "rows");
            checkDimension(source, cols, "columns");
            long perImage = (long) rows * cols;
            String claim = String.format("%d images of %dx%d", count, rows, cols);
            if (count > MAX_BYTES / perImage) {
                throw tooLarge(source, claim);
            }
            long total = count * perImage;
            claim = String.format("%s (%d bytes)", claim, total);
            byte[] data = input.readData((int) total, claim, dataLength(input, lengthIfKnown, IMAGES_HEADER_BYTES));
            return new Images(source, count, rows, cols, data);
        }
    }

    /**
     * Reads an IDX label file (magic {@code 0x00000801}) and checks every label.
     *
     * @param in            the file content, raw or gzip; read but not closed
     * @param source        the file name or URI, used in messages
     * @param lengthIfKnown the raw length of the file in bytes, or -1 if unknown (ignored for gzip)
     * @param numClasses    labels must lie in {@code 0..numClasses-1}; 1..256
     * @return a new array with one label per record
     * @throws DatasetFormatException if the content is malformed or a label is out of range
     * @throws IOException            if reading fails
     */
    public static int[] readLabels(InputStream in, String source, long lengthIfKnown, int numClasses)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in 1..256 but is " + numClasses);
        }
        try (Input input = Input.open(in, source)) {
            byte[] header = input.readHeader(LABELS_HEADER_BYTES, LABELS_MAGIC, "unsigned-byte labels, 1 dimension");
            int count = intAt(header, 4);
            checkCount(source, count, "labels");
            if (count > MAX_BYTES) {
                throw tooLarge(source, count + " labels");
            }
            String claim = String.format("%d labels (%d bytes)", count, count);
            byte[] data = input.readData(count, claim, dataLength(input, lengthIfKnown, LABELS_HEADER_BYTES));
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                int label = data[i] & 0xff;
                if (label >= numClasses) {
                    throw new DatasetFormatException(String.format(
                            "%s: label %d at record %d is outside 0..%d", source, label, i, numClasses - 1));
                }
                labels[i] = label;
            }
            return labels;
        }
    }

    /**
     * Reads an image file and its label file and checks that they hold the same number of records.
     *
     * @param images       the image file content, raw or gzip; read but not closed
     * @param imagesSource the image file name or URI, used in messages
     * @param imagesLength the raw length of the image file, or -1 if unknown
     * @param labels       the label file content, raw or gzip; read but not closed
     * @param labelsSource the label file name or URI, used in messages
     * @param labelsLength the raw length of the label file, or -1 if unknown
     * @param numClasses   labels must lie in {@code 0..numClasses-1}; 1..256
     * @return all images scaled to [0, 1] with their labels; its source names both files
     * @throws DatasetFormatException if either file is malformed or the counts disagree
     * @throws IOException            if reading fails
     * @see #read(InputStream, String, long, InputStream, String, long, int, int)
     */
    public static LabeledImages read(InputStream images, String imagesSource, long imagesLength,
            InputStream labels, String labelsSource, long labelsLength, int numClasses) throws IOException {
        return read(images, imagesSource, imagesLength, labels, labelsSource, labelsLength, numClasses, 0);
    }

    /**
     * Reads an image file and its label file, checks that they hold the same number of records and keeps
     * the first {@code limit}. Both files are validated in full whatever the limit.
     *
     * @param images       the image file content, raw or gzip; read but not closed
     * @param imagesSource the image file name or URI, used in messages
     * @param imagesLength the raw length of the image file, or -1 if unknown
     * @param labels       the label file content, raw or gzip; read but not closed
     * @param labelsSource the label file name or URI, used in messages
     * @param labelsLength the raw length of the label file, or -1 if unknown
     * @param numClasses   labels must lie in {@code 0..numClasses-1}; 1..256
     * @param limit        how many records to keep; 0 keeps all
     * @return the images scaled to [0, 1] with their labels; its source names both files
     * @throws DatasetFormatException if either file is malformed or the counts disagree
     * @throws IOException            if reading fails
     */
    public static LabeledImages read(InputStream images, String imagesSource, long imagesLength,
            InputStream labels, String labelsSource, long labelsLength, int numClasses, int limit)
            throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 but is " + limit);
        }
        Images img = readImages(images, imagesSource, imagesLength);
        int[] lab = readLabels(labels, labelsSource, labelsLength, numClasses);
        if (img.count() != lab.length) {
            throw new DatasetFormatException(String.format(
                    "images (%d) and labels (%d) disagree in count: %s vs %s",
                    img.count(), lab.length, imagesSource, labelsSource));
        }
        int n = limit == 0 ? lab.length : Math.min(limit, lab.length);
        return new LabeledImages(imagesSource + " + " + labelsSource, img.rows(), img.cols(), numClasses,
                img.toFloats(n), n == lab.length ? lab : Arrays.copyOf(lab, n));
    }

    private static long dataLength(Input input, long lengthIfKnown, int headerBytes) {
        if (input.gzip || lengthIfKnown < 0) {
            return -1;
        }
        return Math.max(0, lengthIfKnown - headerBytes);
    }

    private static int intAt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    private static void checkMagic(String source, int magic, int expected, String expectedMeaning)
            throws DatasetFormatException {
        if (magic != expected) {
            throw new DatasetFormatException(String.format("%s: wrong magic number 0x%08X, expected 0x%08X (%s); %s",
                    source, magic, expected, expectedMeaning, describeMagic(magic)));
        }
    }

    private static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "this is not an IDX file";
        }
        int dims = magic & 0xff;
        String type = switch ((magic >>> 8) & 0xff) {
            case 0x08 -> "unsigned-byte";
            case 0x09 -> "signed-byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> null;
        };
        if (type == null) {
            return String.format("the data type 0x%02X is unknown", (magic >>> 8) & 0xff);
        }
        return String.format("the file holds %s data with %d dimension%s", type, dims, dims == 1 ? "" : "s");
    }

    private static void checkCount(String source, int count, String what) throws DatasetFormatException {
        if (count <= 0) {
            throw new DatasetFormatException(String.format(
                    "%s: implausible header: it claims %d %s, which must be positive", source, count, what));
        }
    }

    private static void checkDimension(String source, int size, String what) throws DatasetFormatException {
        if (size <= 0 || size > MAX_DIMENSION) {
            throw new DatasetFormatException(String.format(
                    "%s: implausible header: %d %s, which must be in 1..%d", source, size, what, MAX_DIMENSION));
        }
    }

    private static DatasetFormatException tooLarge(String source, String claim) {
        return new DatasetFormatException(String.format(
                "%s: implausible header: it claims %s, more than the %d bytes accepted", source, claim, MAX_BYTES));
    }

    /** The caller's stream, gunzipped if it starts with the gzip magic, with source-aware reads. */
    private static final class Input implements AutoCloseable {
        private final String source;
        private final InputStream stream;
        private final boolean gzip;
        private boolean gzipCut;

        private Input(String source, InputStream stream, boolean gzip) {
            this.source = source;
            this.stream = stream;
            this.gzip = gzip;
        }

        static Input open(InputStream in, String source) throws IOException {
            PushbackInputStream pushback = new PushbackInputStream(new NonClosing(in), 2);
            int b0 = pushback.read();
            int b1 = b0 < 0 ? -1 : pushback.read();
            if (b1 >= 0) {
                pushback.unread(b1);
            }
            if (b0 >= 0) {
                pushback.unread(b0);
            }
            if (b0 != 0x1f || b1 != 0x8b) {
                return new Input(source, pushback, false);
            }
            try {
                return new Input(source, new GZIPInputStream(pushback, GZIP_BUFFER_BYTES), true);
            } catch (EOFException e) {
                throw new DatasetFormatException(source + ": truncated gzip header", e);
            } catch (ZipException e) {
                throw new DatasetFormatException(source + ": corrupt gzip data: " + e.getMessage(), e);
            }
        }

        /** Like {@link InputStream#read(byte[], int, int)}; a gzip stream cut short reads as end of data. */
        private int read(byte[] b, int off, int len) throws IOException {
            if (gzipCut) {
                return -1;
            }
            try {
                return stream.read(b, off, len);
            } catch (EOFException e) {
                if (!gzip) {
                    throw e;
                }
                gzipCut = true;
                return -1;
            } catch (ZipException e) {
                throw new DatasetFormatException(source + ": corrupt gzip data: " + e.getMessage(), e);
            }
        }

        private int readFully(byte[] b, int off, int len) throws IOException {
            int filled = 0;
            while (filled < len) {
                int r = read(b, off + filled, len - filled);
                if (r < 0) {
                    break;
                }
                filled += r;
            }
            return filled;
        }

        /** Reads the header, checking the magic number before complaining about a short header. */
        byte[] readHeader(int headerBytes, int expectedMagic, String expectedMeaning) throws IOException {
            byte[] header = new byte[headerBytes];
            int got = readFully(header, 0, headerBytes);
            if (got >= 4) {
                checkMagic(source, intAt(header, 0), expectedMagic, expectedMeaning);
            }
            if (got < headerBytes) {
                throw new DatasetFormatException(String.format(
                        "%s: truncated header: expected %d bytes but the file ends after %d bytes%s",
                        source, headerBytes, got, cutNote()));
            }
            return header;
        }

        /**
         * Reads exactly {@code n} data bytes and checks that nothing follows.
         *
         * @param claim      what the header claims, for messages
         * @param knownBytes how many bytes follow the header according to the file length, or -1
         */
        byte[] readData(int n, String claim, long knownBytes) throws IOException {
            if (knownBytes >= 0 && knownBytes < n) {
                throw new DatasetFormatException(String.format(
                        "%s: truncated: header claims %s but the file holds only %d bytes after the header",
                        source, claim, knownBytes));
            }
            if (knownBytes > n) {
                throw trailing(Long.toString(knownBytes - n), claim);
            }
            byte[] buf = new byte[knownBytes >= 0 ? n : Math.min(n, CHUNK_BYTES)];
            int filled = 0;
            while (filled < n) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                }
                int r = read(buf, filled, buf.length - filled);
                if (r < 0) {
                    throw new DatasetFormatException(String.format(
                            "%s: truncated: header claims %s but the data ends after %d bytes%s",
                            source, claim, filled, cutNote()));
                }
                filled += r;
            }
            long extra = countRemaining();
            if (gzipCut) {
                throw new DatasetFormatException(String.format(
                        "%s: truncated: the gzip stream is cut short after the declared data (header claims %s)",
                        source, claim));
            }
            if (extra > 0) {
                throw trailing(extra > TRAILING_COUNT_LIMIT ? "more than " + TRAILING_COUNT_LIMIT : Long.toString(extra),
                        claim);
            }
            return buf;
        }

        private long countRemaining() throws IOException {
            byte[] scratch = new byte[8192];
            long extra = 0;
            while (extra <= TRAILING_COUNT_LIMIT) {
                int r = read(scratch, 0, scratch.length);
                if (r < 0) {
                    break;
                }
                extra += r;
            }
            return extra;
        }

        private DatasetFormatException trailing(String extra, String claim) {
            return new DatasetFormatException(String.format(
                    "%s: %s unexpected trailing bytes after the declared data (header claims %s)",
                    source, extra, claim));
        }

        private String cutNote() {
            return gzipCut ? " (the gzip stream is cut short)" : "";
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** Shields the caller's stream from {@link #close()}, so that closing the gzip layer frees only it. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
