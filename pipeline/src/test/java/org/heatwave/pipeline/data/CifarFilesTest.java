package org.heatwave.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10's binary format, written tiny by the test: records in file order, R, G, B planes, any FileSystem. */
class CifarFilesTest {
    @TempDir
    static Path tmp;
    static Path dir;

    /** Record {@code i}: label {@code i % 10}; red = label·20, green = i, blue = 255 − pixel position's row·4. */
    static byte[] records(int from, int count) {
        byte[] out = new byte[count * CifarFiles.RECORD];
        for (int r = 0; r < count; r++) {
            int i = from + r, base = r * CifarFiles.RECORD;
            out[base] = (byte) (i % 10);
            for (int p = 0; p < 1024; p++) {
                out[base + 1 + p] = (byte) ((i % 10) * 20);
                out[base + 1 + 1024 + p] = (byte) i;
                out[base + 1 + 2048 + p] = (byte) (255 - (p / 32) * 4);
            }
        }
        return out;
    }

    @BeforeAll
    static void write() throws IOException {
        dir = Files.createDirectories(tmp.resolve("cifar"));
        Files.write(dir.resolve("data_batch_1.bin"), records(0, 40));
        Files.write(dir.resolve("data_batch_2.bin"), records(40, 24));
        Files.write(dir.resolve("test_batch.bin"), records(100, 16));
    }

    @Test
    void recordsAreReadInFileOrderAsRedGreenBluePlanes() throws IOException {
        try (JavaSparkContext jsc = SparkContexts.create("cifar test", "local[2]");
             DistributedDataset train = CifarFiles.load(jsc, dir.toString(), true, 0, 4, 2)) {
            assertEquals(64, train.count());
            assertEquals(3, train.channels());
            assertEquals(10, train.classes());
            for (ImageBlock b : train.blocks().collect()) {
                for (int k = 0; k < b.count(); k++) {
                    int i = b.first() + k, per = 3 * 1024;
                    assertEquals(i % 10, b.labels()[k], "label of record " + i);
                    assertEquals((i % 10) * 20 / 255f, b.pixels()[k * per], "red of record " + i);
                    assertEquals(i / 255f, b.pixels()[k * per + 1024], "green of record " + i);
                    assertEquals((255 - 31 * 4) / 255f, b.pixels()[k * per + 2048 + 31 * 32], "blue, last row");
                }
            }
        }
        assertEquals(CifarFiles.CLASSES, CifarFiles.classes(dir.toString(), new Configuration()));
    }

    @Test
    void aColourNetworkTrainsOnCifarFiles() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Settings s = Settings.load(null, List.of("data.format=cifar", "data.path=" + dir, "model.widths=[4, 8]",
                "model.steps=1", "train.batch-size=16", "train.epochs=1", "log.every-steps=100"));
        try (JavaSparkContext jsc = SparkContexts.create("cifar test", "local[2]")) {
            Trainer.Result r = new Trainer(s, quiet).run(jsc, tmp.resolve("run").toString());
            assertEquals(3, r.spec().channels());
            assertEquals(32, r.spec().height());
            assertEquals(16, r.summary().get("test_images").asInt());
            // the run's model predicts and evaluates CIFAR-10 files through the same reading
            org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(jsc.sc())
                    .getOrCreate();
            String model = tmp.resolve("run").resolve("model").toString();
            org.heatwave.pipeline.ml.BatchPrediction.Outcome o = org.heatwave.pipeline.ml.BatchPrediction.run(spark, model,
                    dir.toString(), "cifar", tmp.resolve("predictions").toString());
            assertEquals(16, o.count());
            List<org.apache.spark.sql.Row> rows = spark.read().parquet(tmp.resolve("predictions").toString())
                    .collectAsList();
            assertTrue(rows.stream().allMatch(x -> CifarFiles.CLASSES.contains(x.getString(1))
                    && x.getString(0).startsWith("CIFAR-10 test record ")), rows.toString());
            org.heatwave.pipeline.ml.HeatwaveClassificationModel m =
                    org.heatwave.pipeline.ml.HeatwaveClassificationModel.open(spark, model);
            org.heatwave.pipeline.ml.ClassifierEvaluation e = org.heatwave.pipeline.ml.ClassifierEvaluation.of(
                    m.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("features"),
                    CifarFiles.records(spark, dir.toString(), false), "label");
            assertEquals(16, e.count());
            assertEquals(r.summary().get("test_accuracy").asDouble(), e.accuracy(), 1e-12);
        }
        String meta = Files.readString(tmp.resolve("run").resolve("model").resolve("model.json"));
        assertTrue(meta.contains("\"airplane\""), meta);
    }

    @Test
    void truncatedAndMissingFilesAreNamed() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.write(bad.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(records(0, 2), CifarFiles.RECORD + 100));
        IOException e = assertThrows(IOException.class, () -> CifarFiles.files(bad.toString(), true, new Configuration()));
        assertTrue(e.getMessage().contains("data_batch_1.bin: 3173 bytes is not a whole number of 3073-byte records"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> CifarFiles.files(bad.toString(), false, new Configuration()));
        assertTrue(e.getMessage().contains("has no test_batch.bin"), e.getMessage());
    }
}
