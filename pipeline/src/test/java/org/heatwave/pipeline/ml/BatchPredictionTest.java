package org.heatwave.pipeline.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.ImageFolders;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/heatwave predict}'s engine: a run's model classifies PNG files and IDX records into Parquet. */
class BatchPredictionTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path idx;
    static Path png;
    static String model;

    @BeforeAll
    static void trainAModel() throws Exception {
        idx = TinyDataset.write(tmp.resolve("idx"), 96, 32, 8, 3, 10);
        png = tmp.resolve("png");
        ImageFolders.export(idx.toString(), png.toString(), DatasetFiles.classNames("fashion-mnist"), new Configuration());
        spark = SparkSession.builder().master("local[2]").appName("heatwave predict test").config("spark.ui.enabled", false)
                .getOrCreate();
        Settings settings = Settings.load(null, List.of("data.path=" + png, "data.format=image-folder", "model.widths=[4]",
                "model.steps=1", "train.batch-size=16", "train.epochs=3", "train.learning-rate=0.1", "log.every-steps=100"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        org.apache.spark.api.java.JavaSparkContext jsc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        new Trainer(settings, quiet).run(jsc, tmp.resolve("run").toString());
        model = tmp.resolve("run").resolve("model").toString();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aRunsModelClassifiesImageFilesAndIdxRecordsIntoParquet() throws Exception {
        HeatwaveClassificationModel m = HeatwaveClassificationModel.open(spark, model);
        assertEquals(DatasetFiles.classNames("fashion-mnist").size(), m.numClasses());
        assertEquals("0-t-shirt-top", m.classNames().get(0));

        BatchPrediction.Outcome files = BatchPrediction.run(spark, model, png.resolve("test").toString(), "images",
                tmp.resolve("out-png").toString());
        assertEquals(32, files.count());
        List<Row> rows = spark.read().parquet(tmp.resolve("out-png").toString()).orderBy("source").collectAsList();
        assertEquals(List.of("source", "prediction", "prediction_index", "probabilities"),
                List.of(spark.read().parquet(tmp.resolve("out-png").toString()).columns()));
        for (Row r : rows) {
            int k = r.getInt(2);
            assertEquals(m.classNames().get(k), r.getString(1));
            List<Double> p = r.getList(3);
            assertEquals(m.numClasses(), p.size());
            assertEquals(1.0, p.stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertTrue(r.getString(0).endsWith(".png"), r.getString(0));
        }

        BatchPrediction.Outcome records = BatchPrediction.run(spark, model, idx.toString(), "idx",
                tmp.resolve("out-idx").toString());
        assertEquals(32, records.count());
        // the same images, read from the PNGs and from the IDX file, get the same class
        int[] byPng = new int[32];
        int[] byIdx = new int[32];
        for (Row r : rows) { // .../test/<class>/<record>.png
            String file = r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1);
            byPng[Integer.parseInt(file.substring(0, file.indexOf('.')))] = r.getInt(2);
        }
        for (Row r : spark.read().parquet(tmp.resolve("out-idx").toString()).collectAsList()) { // "<file> record N"
            byIdx[Integer.parseInt(r.getString(0).substring(r.getString(0).lastIndexOf(' ') + 1))] = r.getInt(2);
        }
        assertArrayEquals(byPng, byIdx);
    }

    @Test
    void aNamedDatasetIsADataFrameWhoseLabelsCarryTheClassNames() throws Exception {
        org.apache.spark.sql.Dataset<Row> test = Datasets.load(spark, "fashion-mnist", idx.toString(), false);
        assertEquals(List.of("source", "features", "label"), List.of(test.columns()));
        assertEquals(32, test.count());
        org.apache.spark.ml.attribute.Attribute label =
                org.apache.spark.ml.attribute.Attribute.fromStructField(test.schema().apply("label"));
        assertEquals(DatasetFiles.classNames("fashion-mnist"),
                List.of(((org.apache.spark.ml.attribute.NominalAttribute) label).values().get()));
        Row first = test.first();
        assertEquals(64, first.getList(1).size());
        assertTrue(first.getString(0).endsWith(" record 0"), first.getString(0));
    }

    @Test
    void anExistingOutputAndAnUnknownFormatAreRefusedBeforeAnythingRuns() {
        assertThrows(OutputExistsException.class, () -> BatchPrediction.run(spark, model, png.toString(), "images",
                png.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchPrediction.run(spark, model,
                png.toString(), "tiff", tmp.resolve("never").toString()));
        assertTrue(e.getMessage().contains("--input-format must be one of images, image-folder, idx, cifar, parquet, pyramid"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageSource.of(idx.toString(), "idx").level(1));
        assertTrue(e.getMessage().contains("--level 1: levels are those of a pyramid"), e.getMessage());
    }

    private static ClassifierEvaluation evaluate(HeatwaveClassificationModel m, ImageSource source) throws Exception {
        try (ImageSource.Opened images = source.open(spark, m)) {
            return ClassifierEvaluation.of(m.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol(images.features()),
                    images.rows(), images.label());
        }
    }

    @Test
    void aPyramidLevelIsPredictedAndEvaluatedAsTheFilesItWasBuiltFrom() throws Exception {
        org.apache.spark.api.java.JavaSparkContext jsc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        String root = tmp.resolve("pyramid").toString();
        org.heatwave.pipeline.data.DatasetPyramid.build(jsc, "fashion-mnist", idx.toString(), root, 1, 2);
        HeatwaveClassificationModel m = HeatwaveClassificationModel.open(spark, model);
        ClassifierEvaluation fromIdx = evaluate(m, ImageSource.of(idx.toString(), "idx"));
        ClassifierEvaluation fromPyramid = evaluate(m, ImageSource.of(root, "pyramid"));
        assertEquals(32, fromPyramid.count());
        assertTrue(java.util.Arrays.deepEquals(fromIdx.confusion(), fromPyramid.confusion()));
        assertEquals(fromIdx.meanLoss(), fromPyramid.meanLoss(), 1e-12);
        ClassifierEvaluation train = evaluate(m, ImageSource.of(root, "pyramid").split(true));
        assertEquals(96, train.count());
        // level 1 holds 4x4 images, the model takes 8x8: refused naming both shapes
        Exception e = assertThrows(IllegalArgumentException.class, () -> evaluate(m, ImageSource.of(root, "pyramid").level(1)));
        assertTrue(e.getMessage().contains(root + " level 1 holds 1x4x4 images; the model takes 1x8x8"), e.getMessage());

        BatchPrediction.Outcome o = BatchPrediction.run(spark, model, ImageSource.of(root, "pyramid"),
                tmp.resolve("out-pyramid").toString());
        assertEquals(32, o.count());
        assertTrue(spark.read().parquet(tmp.resolve("out-pyramid").toString()).collectAsList().stream()
                .allMatch(r -> r.getString(0).startsWith(root + "/test/level=0 record ")));
    }

    @Test
    void theConfusionMatrixOfClassFoldersAndOfIdxRecordsIsTheSame() throws Exception {
        HeatwaveClassificationModel m = HeatwaveClassificationModel.open(spark, model);
        ClassifierEvaluation folders = evaluate(m, ImageSource.of(png.toString(), "image-folder"));
        ClassifierEvaluation records = evaluate(m, ImageSource.of(idx.toString(), "idx"));
        assertEquals(32, folders.count());
        assertTrue(java.util.Arrays.deepEquals(folders.confusion(), records.confusion()));
        assertEquals(folders.meanLoss(), records.meanLoss(), 1e-9);
        long diagonal = 0;
        for (int t = 0; t < 10; t++) {
            diagonal += folders.confusion()[t][t];
        }
        assertEquals(diagonal / 32.0, folders.accuracy(), 1e-12);
        com.fasterxml.jackson.databind.JsonNode json = folders.json();
        assertEquals("0-t-shirt-top", json.get("classes").get(0).get("name").asText());
        assertEquals(10, json.get("confusion").size());
        byte[] figure = org.heatwave.pipeline.report.ConfusionMatrixFigure.png(m.classNames(), folders.confusion(), "test");
        assertEquals((byte) 0x89, figure[0]);
        assertEquals('P', figure[1]);
    }
}
