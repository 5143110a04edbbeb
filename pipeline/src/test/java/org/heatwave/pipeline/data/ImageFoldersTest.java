package org.heatwave.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class folders of images ({@code data.format = image-folder}): exported from IDX, they train to the same bits. */
class ImageFoldersTest {
    @TempDir
    static Path tmp;
    static Path idx;
    static Path png;
    static final Configuration CONF = new Configuration();

    @BeforeAll
    static void writeData() throws IOException {
        idx = TinyDataset.write(tmp.resolve("idx"), 120, 40, 8, 5, 10);
        png = tmp.resolve("png");
        int[] counts = ImageFolders.export(idx.toString(), png.toString(), DatasetFiles.classNames("fashion-mnist"), CONF);
        assertArrayEquals(new int[] {120, 40}, counts);
    }

    private static Trainer.Result train(Path run, String... sets) throws IOException {
        List<String> o = new ArrayList<>(List.of("model.widths=[4]", "model.steps=1", "train.batch-size=16",
                "train.epochs=2", "train.learning-rate=0.1", "log.every-steps=100", "data.partitions=2"));
        o.addAll(List.of(sets));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (JavaSparkContext jsc = SparkContexts.create("heatwave test", "local[2]")) {
            return new Trainer(Settings.load(null, o), quiet).run(jsc, run.toString());
        }
    }

    @Test
    void foldersExportedFromIdxTrainToTheSameBitsAsTheIdxFiles() throws IOException {
        assertEquals(List.of("0-t-shirt-top", "1-trouser", "2-pullover", "3-dress", "4-coat", "5-sandal", "6-shirt",
                "7-sneaker", "8-bag", "9-ankle-boot"), ImageFolders.classes(png.toString(), CONF));
        assertTrue(Files.exists(png.resolve("train").resolve("3-dress")));
        Trainer.Result fromIdx = train(tmp.resolve("run-idx"), "data.path=" + idx);
        Trainer.Result fromPng = train(tmp.resolve("run-png"), "data.path=" + png, "data.format=image-folder");
        assertEquals(fromIdx.spec(), fromPng.spec());
        assertArrayEquals(fromIdx.params(), fromPng.params());
        assertEquals(fromIdx.summary().get("test_accuracy"), fromPng.summary().get("test_accuracy"));
    }

    @Test
    void parquetWithAnArrayColumnInRecordOrderTrainsToTheSameBitsAsTheIdxFiles() throws IOException {
        Path parquet = tmp.resolve("parquet");
        try (JavaSparkContext jsc = SparkContexts.create("heatwave test", "local[2]")) {
            org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(jsc.sc())
                    .getOrCreate();
            for (boolean train : new boolean[] {true, false}) {
                // one file per split, rows in record order: the order Parquet gives back
                try (var records = org.heatwave.pipeline.ml.ImageSource.of(idx.toString(), "idx").split(train)
                        .open(spark, List.of())) {
                    records.rows().withColumn("n", org.apache.spark.sql.functions.regexp_extract(
                                    org.apache.spark.sql.functions.col("source"), "record (\\d+)$", 1).cast("int"))
                            .orderBy("n").coalesce(1).select("features", "label")
                            .write().parquet(parquet.resolve(train ? "train" : "test").toString());
                }
            }
        }
        Trainer.Result fromIdx = train(tmp.resolve("run-idx-2"), "data.path=" + idx);
        Trainer.Result fromParquet = train(tmp.resolve("run-parquet"), "data.path=" + parquet, "data.format=parquet",
                "data.features-column=features", "data.image-shape=[1, 8, 8]");
        assertArrayEquals(fromIdx.params(), fromParquet.params());
        // the model predicts and evaluates the same Parquet
        try (JavaSparkContext jsc = SparkContexts.create("heatwave test", "local[2]")) {
            org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(jsc.sc())
                    .getOrCreate();
            String model = tmp.resolve("run-parquet").resolve("model").toString();
            assertEquals(40, org.heatwave.pipeline.ml.BatchPrediction.run(spark, model, org.heatwave.pipeline.ml.ImageSource.of(
                    parquet.resolve("test").toString(), "parquet").columns("features", "label"),
                    tmp.resolve("parquet-predictions").toString()).count());
            org.heatwave.pipeline.ml.HeatwaveClassificationModel m =
                    org.heatwave.pipeline.ml.HeatwaveClassificationModel.open(spark, model);
            org.heatwave.pipeline.ml.ClassifierEvaluation e = org.heatwave.pipeline.ml.ClassifierEvaluation.of(
                    m.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("features"),
                    spark.read().parquet(parquet.resolve("test").toString()), "label");
            assertEquals(fromParquet.summary().get("test_accuracy").asDouble(), e.accuracy(), 1e-12);
        }
    }

    @Test
    void anExistingOutputIsRefusedAndNothingIsWrittenIntoIt() {
        assertThrows(OutputExistsException.class,
                () -> ImageFolders.export(idx.toString(), png.toString(), DatasetFiles.classNames("fashion-mnist"), CONF));
    }

    @Test
    void badFoldersAreNamed() throws IOException {
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad.resolve("train").resolve("cat"));
        Files.createDirectories(bad.resolve("train").resolve("dog"));
        Files.write(bad.resolve("train").resolve("cat").resolve("1.png"), new byte[] {1, 2, 3});
        IOException empty = assertThrows(IOException.class, () -> ImageFolders.classes(bad.toString(), CONF));
        assertTrue(empty.getMessage().contains("dog: the class folder is empty"), empty.getMessage());

        Path shirts = png.resolve("train").resolve("0-t-shirt-top");
        try (var files = Files.list(shirts)) {
            Path image = files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
            Files.copy(image, bad.resolve("train").resolve("dog").resolve("2.png"));
        }
        Files.createDirectories(bad.resolve("test").resolve("dog"));
        Files.copy(bad.resolve("train").resolve("dog").resolve("2.png"), bad.resolve("test").resolve("dog").resolve("3.png"));
        Exception corrupt = assertThrows(Exception.class, () -> train(tmp.resolve("run-bad"), "data.path=" + bad,
                "data.format=image-folder", "model.widths=[2]", "data.shards=1", "train.batch-size=1"));
        StringBuilder message = new StringBuilder();
        for (Throwable t = corrupt; t != null; t = t.getCause()) {
            message.append(t.getMessage()).append('\n');
        }
        assertTrue(message.toString().contains("cat/1.png: not a decodable image"), message.toString());
        assertTrue(!Files.exists(tmp.resolve("run-bad")), "nothing written");
    }
}
