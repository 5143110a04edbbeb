package org.heatwave.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.TemporaryFailure;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data location's snapshot — its parts, hidden names, the fingerprint — and the parts loaded as one dataset: the
 * same blocks, bit for bit, as one dataset holding all their records in order, whatever the partitions.
 */
class DataSnapshotTest {
    @TempDir
    Path tmp;

    private final Configuration conf = new Configuration();

    @Test
    void partsAreTheVisibleSubdirectoriesAndTheFingerprintFollowsTheFiles() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("incoming"));
        TinyDataset.write(root.resolve("date=2026-12-02"), 20, 8, 8, 2);
        TinyDataset.write(root.resolve("date=2026-12-01"), 20, 8, 8, 1);
        TinyDataset.write(root.resolve("_date=2026-12-03"), 20, 8, 8, 3);
        TinyDataset.write(root.resolve(".date=2026-12-04"), 20, 8, 8, 4);
        DataSnapshot s = DataSnapshot.take(root.toString(), "idx", conf);
        assertEquals(List.of("date=2026-12-01", "date=2026-12-02"), s.partNames(), "name order, hidden names skipped");
        assertEquals(8, s.files());
        assertEquals(s.fingerprint(), DataSnapshot.take(root.toString(), "idx", conf).fingerprint(), "stable");
        s.requireUnchanged("idx", conf);

        Files.move(root.resolve("_date=2026-12-03"), root.resolve("date=2026-12-03"));
        DataSnapshot later = DataSnapshot.take(root.toString(), "idx", conf);
        assertEquals(3, later.parts().size());
        assertNotEquals(s.fingerprint(), later.fingerprint(), "a delivery renamed into place is new data");
        TemporaryFailure changed = assertThrows(TemporaryFailure.class, () -> s.requireUnchanged("idx", conf));
        assertTrue(changed.getMessage().contains("changed while it was read (8 files of"), changed.getMessage());

        Path single = TinyDataset.write(tmp.resolve("single"), 20, 8, 8, 5);
        assertEquals(List.of("."), DataSnapshot.take(single.toString(), "idx", conf).partNames(),
                "a location holding a dataset itself is its one part");
        FileNotFoundException empty = assertThrows(FileNotFoundException.class,
                () -> DataSnapshot.take(Files.createDirectories(tmp.resolve("empty")).toString(), "idx", conf));
        assertTrue(empty.getMessage().contains("holds no data"), empty.getMessage());
    }

    @Test
    void partsLoadAsTheOneDatasetOfAllTheirRecords() throws IOException {
        Path a = TinyDataset.write(tmp.resolve("parts/a"), 37, 11, 8, 1);
        Path b = TinyDataset.write(tmp.resolve("parts/b"), 50, 13, 8, 2);
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        for (String split : List.of("train", "t10k")) {
            concatenate(whole.resolve(split + "-images-idx3-ubyte.gz"), 16, a.resolve(split + "-images-idx3-ubyte.gz"),
                    b.resolve(split + "-images-idx3-ubyte.gz"));
            concatenate(whole.resolve(split + "-labels-idx1-ubyte.gz"), 8, a.resolve(split + "-labels-idx1-ubyte.gz"),
                    b.resolve(split + "-labels-idx1-ubyte.gz"));
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (JavaSparkContext jsc = SparkContexts.create("concatenation", "local[2]")) {
            Settings s = Settings.load(null, List.of("data.shards=6", "train.batch-size=60", "data.partitions=3"));
            List<ImageBlock> expected, expectedTest;
            try (Trainer.Splits one = new Trainer(s.with(List.of("data.path=" + whole)), quiet).load(jsc, 0)) {
                expected = sorted(one.train());
                expectedTest = sorted(one.test());
            }
            for (int partitions : new int[] {1, 2, 5}) {
                Settings p = s.with(List.of("data.partitions=" + partitions));
                try (Trainer.Splits two = new Trainer(p, quiet).load(jsc, List.of(a.toString(), b.toString()))) {
                    assertEquals(87, two.train().count());
                    assertEquals(Math.min(partitions, 6), two.train().partitions());
                    assertSameBlocks(expected, sorted(two.train()));
                    assertSameBlocks(expectedTest, sorted(two.test()));
                }
            }
        }
    }

    private static List<ImageBlock> sorted(DistributedDataset d) {
        return d.blocks().collect().stream().sorted(Comparator.comparingInt(ImageBlock::first)).toList();
    }

    private static void assertSameBlocks(List<ImageBlock> expected, List<ImageBlock> actual) {
        assertEquals(expected.size(), actual.size(), "shards");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).first(), actual.get(i).first());
            assertArrayEquals(expected.get(i).labels(), actual.get(i).labels(), "labels of shard " + i);
            assertArrayEquals(expected.get(i).pixels(), actual.get(i).pixels(), 0f, "pixels of shard " + i);
        }
    }

    /** An IDX file holding the records of {@code first} then {@code second} (headers of {@code header} bytes). */
    private static void concatenate(Path out, int header, Path first, Path second) throws IOException {
        byte[] x = gunzip(first), y = gunzip(second);
        byte[] both = Arrays.copyOf(x, x.length + y.length - header);
        System.arraycopy(y, header, both, x.length, y.length - header);
        int n = java.nio.ByteBuffer.wrap(x, 4, 4).getInt() + java.nio.ByteBuffer.wrap(y, 4, 4).getInt();
        java.nio.ByteBuffer.wrap(both, 4, 4).putInt(n);
        TinyDataset.gz(out, both);
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }
}
