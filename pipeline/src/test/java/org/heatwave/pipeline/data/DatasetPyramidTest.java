package org.heatwave.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.heatwave.multilevel.GridTransfer;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.tensor.Batch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pyramid stage on Spark equals the local restriction bit for bit, on local disk and on a real HDFS
 * ({@link MiniDFSCluster}); reading a level back gives the blocks {@link DistributedDataset#load} gives;
 * bad sizes, existing outputs and corrupt records get errors that name them.
 */
class DatasetPyramidTest {
    private static JavaSparkContext jsc;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        jsc = SparkContexts.create("pyramid test", "local[2]");
    }

    @AfterAll
    static void stop() {
        jsc.close();
    }

    /** The local reference: every split's images restricted l times by {@link GridTransfer#average(Batch)}. */
    private static Batch restrictLocally(DatasetFiles files, int levels) throws IOException {
        DatasetFiles.Content c = files.read(new Configuration());
        Batch b = DatasetFiles.block(c, 0, c.count()).slice(0, c.count());
        for (int l = 0; l < levels; l++) {
            b = GridTransfer.average(b);
        }
        return b;
    }

    private static void assertPyramidEqualsLocalRestriction(String source, String root) throws IOException {
        DatasetPyramid.Info info = DatasetPyramid.build(jsc, "fashion-mnist", source, root, 3, 3);
        assertEquals(List.of(new DatasetPyramid.Level(0, 16, 16), new DatasetPyramid.Level(1, 8, 8),
                new DatasetPyramid.Level(2, 4, 4), new DatasetPyramid.Level(3, 2, 2)), info.levels());
        assertEquals(40, info.train());
        assertEquals(12, info.test());
        for (boolean train : new boolean[] {true, false}) {
            DatasetFiles files = DatasetFiles.idx(source, train, jsc.hadoopConfiguration());
            int[] labels = files.read(jsc.hadoopConfiguration()).labels();
            for (int l = 0; l <= 3; l++) {
                Batch expected = restrictLocally(files, l);
                // read back in a different partitioning than written: the blocks follow the index, not the files
                try (DistributedDataset ds = DatasetPyramid.load(jsc, info, train, l, 0, 4, 3)) {
                    assertEquals(16 >> l, ds.height());
                    List<ImageBlock> blocks = ds.blocks().collect();
                    assertEquals(4, blocks.size(), "a block per shard, 4 shards on 3 partitions");
                    int next = 0;
                    for (ImageBlock b : blocks) {
                        assertEquals(next, b.first());
                        int per = b.height() * b.width();
                        for (int k = 0; k < b.count(); k++) {
                            assertEquals(labels[b.first() + k], b.labels()[k]);
                            for (int q = 0; q < per; q++) {
                                assertEquals(Float.floatToIntBits(expected.data()[(b.first() + k) * per + q]),
                                        Float.floatToIntBits(b.pixels()[k * per + q]), "level " + l + " record " + (b.first() + k));
                            }
                        }
                        next += b.count();
                    }
                    assertEquals(train ? 40 : 12, next);
                }
            }
        }
        // level 0 read from the pyramid = the IDX files read directly
        try (DistributedDataset fromIdx = DistributedDataset.load(jsc, DatasetFiles.idx(source, true, jsc.hadoopConfiguration()),
                25, 2, 2, "idx");
             DistributedDataset fromPyramid = DatasetPyramid.load(jsc, info, true, 0, 25, 2, 2)) {
            List<ImageBlock> a = fromIdx.blocks().collect(), b = fromPyramid.blocks().collect();
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).first(), b.get(i).first());
                assertArrayEquals(a.get(i).pixels(), b.get(i).pixels());
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            }
        }
    }

    @Test
    void sparkRestrictionEqualsLocalRestrictionOnLocalDisk() throws IOException {
        Path data = TinyDataset.write(tmp.resolve("local-data"), 40, 12, 16, 7);
        String root = tmp.resolve("local-pyramid").toUri().toString();
        assertPyramidEqualsLocalRestriction(data.toString(), root);
        // the directory appeared in one rename: no temporary siblings remain
        File[] left = tmp.toFile().listFiles((d, name) -> name.startsWith(".local-pyramid"));
        assertEquals(0, left.length);
        IOException exists = assertThrows(IOException.class,
                () -> DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), root, 1, 2));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }

    @Test
    void sparkRestrictionEqualsLocalRestrictionOnHdfs() throws IOException {
        Configuration conf = new Configuration();
        File base = tmp.resolve("hdfs").toFile();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
        try {
            cluster.waitActive();
            FileSystem hdfs = cluster.getFileSystem();
            Path local = TinyDataset.write(tmp.resolve("hdfs-data"), 40, 12, 16, 7);
            String uri = cluster.getURI().toString();
            org.apache.hadoop.fs.Path dataDir = new org.apache.hadoop.fs.Path(uri + "/datasets/tiny");
            hdfs.mkdirs(dataDir);
            for (File f : local.toFile().listFiles()) {
                hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toURI()), new org.apache.hadoop.fs.Path(dataDir, f.getName()));
            }
            assertPyramidEqualsLocalRestriction(dataDir.toString(), uri + "/pyramids/tiny");
            assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(uri + "/pyramids/tiny/train/level=3")));
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    void levelCountsTheImageCannotTakeAreRefusedBeforeAnythingIsWritten() throws IOException {
        assertEquals(3, DatasetPyramid.sizes(28, 28, 2).size());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> DatasetPyramid.sizes(28, 28, 3));
        assertEquals("28x28 images allow at most 2 levels of 2x2 averaging (7x7 after 2, which does not divide by 2);"
                + " asked for 3", odd.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> DatasetPyramid.sizes(16, 16, 5));
        assertTrue(tiny.getMessage().startsWith("16x16 images allow at most 4 levels"), tiny.getMessage());
        assertTrue(tiny.getMessage().contains("1x1 after 4, which is one pixel"), tiny.getMessage());

        Path data = TinyDataset.write(tmp.resolve("odd-data"), 10, 4, 12, 3);
        Path root = tmp.resolve("odd-pyramid");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), root.toUri().toString(), 3, 2));
        assertTrue(e.getMessage().startsWith("12x12 images allow at most 2 levels"), e.getMessage());
        assertFalse(root.toFile().exists(), "nothing may be written");
        assertEquals(0, tmp.toFile().listFiles((d, name) -> name.startsWith(".odd-pyramid")).length);
    }

    @Test
    void corruptRecordsAreNamedByFileRecordAndField() throws IOException {
        Path data = TinyDataset.write(tmp.resolve("corrupt-data"), 12, 4, 8, 3);
        String root = tmp.resolve("corrupt-pyramid").toUri().toString();
        DatasetPyramid.Info info = DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), root, 1, 2);
        // replace level 1 of the test split with records of the wrong size / a missing index
        SparkSession spark = SparkSession.builder().config(jsc.getConf()).getOrCreate();
        StructType schema = new StructType().add("index", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
                .add("pixels", DataTypes.BinaryType);
        byte[] good = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).array();
        String dir = info.directory(false, 1);
        spark.createDataFrame(List.of(RowFactory.create(0, 1, good), RowFactory.create(1, 0, new byte[12]),
                RowFactory.create(2, 1, good), RowFactory.create(3, 0, good)), schema).write().mode("overwrite").parquet(dir);
        Exception wrongSize = assertThrows(Exception.class, () -> DatasetPyramid.load(jsc, info, false, 1, 0, 2, 2).close());
        assertTrue(rootCause(wrongSize).contains("record 1: field pixels has 12 bytes, but a 4x4 float32 image has 64"),
                rootCause(wrongSize));
        assertTrue(rootCause(wrongSize).contains(".parquet"), "names the file: " + rootCause(wrongSize));

        spark.createDataFrame(List.of(RowFactory.create(0, 1, good), RowFactory.create(1, 0, good),
                RowFactory.create(3, 0, good)), schema).write().mode("overwrite").parquet(dir);
        Exception missing = assertThrows(Exception.class, () -> DatasetPyramid.load(jsc, info, false, 1, 0, 2, 2).close());
        assertTrue(rootCause(missing).contains("lacks record 2 (of 0..3)"), rootCause(missing));

        IOException notAPyramid = assertThrows(IOException.class,
                () -> DatasetPyramid.info(tmp.resolve("corrupt-data").toUri().toString(), new Configuration()));
        assertTrue(notAPyramid.getMessage().contains("has no pyramid.json"), notAPyramid.getMessage());
    }

    private static String rootCause(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
