package org.heatwave.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.heatwave.pipeline.TinyDataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.loss.LossResult;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-JVM cluster ({@code local-cluster[2,1,1024]}: two executor JVMs) with data, prepared data, the
 * pyramid, models, metrics and run outputs on a real HDFS ({@link MiniDFSCluster}): training, evaluation and
 * the pyramid stage. (The command line on a cluster is {@link StandaloneClusterTest}'s.)
 */
class LocalClusterTest {
    private static final String MASTER = "local-cluster[2,1,1024]";
    @TempDir
    static Path tmp;
    static MiniDFSCluster hdfs;
    static String uri;

    @BeforeAll
    static void startHdfs() throws IOException {
        hdfs = new MiniDFSCluster.Builder(new Configuration(), tmp.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
        uri = hdfs.getURI().toString();
        FileSystem fs = hdfs.getFileSystem();
        Path local = TinyDataset.write(tmp.resolve("data"), 192, 48, 8, 23);
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri + "/data/tiny");
        fs.mkdirs(dir);
        for (File f : local.toFile().listFiles()) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toURI()), new org.apache.hadoop.fs.Path(dir, f.getName()));
        }
    }

    @AfterAll
    static void stopHdfs() {
        hdfs.shutdown();
    }

    private static Settings settings() {
        return Settings.load(null, List.of("data.path=\"" + uri + "/data/tiny\"", "data.prepared-dir=\"" + uri + "/prepared\"",
                "data.partitions=2", "model.widths=[4,8]", "model.steps=2", "train.batch-size=32", "train.epochs=2",
                "train.learning-rate=0.1", "log.every-steps=2"));
    }

    @Test
    @Timeout(300)
    void trainsEvaluatesAndBuildsThePyramidOnACluster() throws Exception {
        FileSystem fs = hdfs.getFileSystem();
        String run = uri + "/runs/first";
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Trainer.Result trained;
        try (JavaSparkContext jsc = SparkContexts.create("heatwave local-cluster test", MASTER)) {
            trained = new Trainer(settings(), quiet).run(jsc, run);
            for (String f : new String[] {"model/model.json", "model/params.bin", "metrics.jsonl", "summary.json", "config.conf",
                    "training.png", "_SUCCESS"}) {
                assertTrue(fs.exists(new org.apache.hadoop.fs.Path(run, f)), f + " on HDFS");
            }
            JsonNode summary = Json.MAPPER.readTree(fs.open(new org.apache.hadoop.fs.Path(run, "summary.json")));
            assertEquals(MASTER, summary.get("spark_master").asText());
            assertTrue(summary.get("data").asText().contains("prepared: " + uri + "/prepared/fashion-mnist-"), summary.toString());

            // evaluation of the saved model, read back from HDFS, on the executors
            ModelIO.SavedModel saved = ModelIO.load(run + "/model", jsc.hadoopConfiguration());
            DatasetFiles testFiles = DatasetFiles.idx(uri + "/data/tiny", false, jsc.hadoopConfiguration());
            try (DistributedDataset test = DistributedDataset.load(jsc, testFiles, 0, 2, 2, "test")) {
                LossResult eval = new DistributedObjective(jsc, saved.spec()).evaluate(test, saved.params(), "evaluate");
                assertEquals(48, eval.count());
                assertEquals(summary.get("test_accuracy").asDouble(), eval.accuracy(), 1e-12);
            }

            // the pyramid stage, written to HDFS by the executors
            String pyramid = uri + "/pyramids/tiny";
            DatasetPyramid.build(jsc, "fashion-mnist", uri + "/data/tiny", pyramid, 2, 2);
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(pyramid, "test/level=2")));
        }

        // the IDX files were converted once; another run reuses the conversion — and, on local[2], gives the same bits
        FileStatus[] prepared = fs.listStatus(new org.apache.hadoop.fs.Path(uri + "/prepared"));
        assertEquals(1, prepared.length);
        long converted = prepared[0].getModificationTime();
        try (JavaSparkContext jsc = SparkContexts.create("heatwave local test", "local[2]")) {
            Trainer.Result again = new Trainer(settings(), quiet).run(jsc, uri + "/runs/second");
            assertArrayEquals(trained.params(), again.params(), 0);
        }
        assertEquals(converted, fs.listStatus(new org.apache.hadoop.fs.Path(uri + "/prepared"))[0].getModificationTime());
    }
}
