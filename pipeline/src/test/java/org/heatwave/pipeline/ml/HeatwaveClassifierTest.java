package org.heatwave.pipeline.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Setting;
import org.heatwave.pipeline.model.InputStandardization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heatwave as a Spark ML estimator on colour PNGs read with Spark's image source: in a Pipeline after a
 * StringIndexer, tuned by a CrossValidator, saved and loaded with the same predictions bit for bit.
 */
class HeatwaveClassifierTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Dataset<Row> images;
    static final List<String> CLASSES = List.of("cloud", "grass", "sea");

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("heatwave ml test").config("spark.ui.enabled", false)
                .getOrCreate();
        writePngs(tmp.resolve("images"), 24);
        images = spark.read().format("image").load(tmp.resolve("images") + "/*/*.png")
                .withColumn("class", functions.regexp_extract(functions.col("image.origin"), "/([a-z]+)/[^/]+$", 1))
                .orderBy("image.origin");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * 16x16 RGB images of three classes told apart by pattern — horizontal stripes, vertical stripes, a
     * checkerboard (period 4) — each in a random colour with noise, in class folders.
     */
    static void writePngs(Path root, int perClass) throws Exception {
        Random random = new Random(7);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path dir = Files.createDirectories(root.resolve(CLASSES.get(c)));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                int[] colour = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        boolean on = switch (c) {
                            case 0 -> y % 4 < 2;
                            case 1 -> x % 4 < 2;
                            default -> (x % 4 < 2) ^ (y % 4 < 2);
                        };
                        int rgb = 0;
                        for (int k = 0; k < 3; k++) {
                            rgb = rgb << 8 | clamp((on ? colour[k] : 255 - colour[k]) + random.nextInt(41) - 20);
                        }
                        image.setRGB(x, y, rgb);
                    }
                }
                ImageIO.write(image, "png", dir.resolve(String.format("%03d.png", i)).toFile());
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static HeatwaveClassifier small() {
        return new HeatwaveClassifier().setFeaturesCol("image").setWidths(new int[] {4}).setSteps(1).setEpochs(4)
                .setBatchSize(8).setLearningRate(0.1).setSchedule("constant").setLogEverySteps(100);
    }

    @Test
    void aPipelineFromPngFoldersIsTunedSavedAndLoadedWithTheSamePredictions() throws Exception {
        StringIndexer indexer = new StringIndexer().setInputCol("class").setOutputCol("label");
        HeatwaveClassifier heatwave = small();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {indexer, heatwave});
        ParamMap[] grid = new ParamGridBuilder().addGrid(heatwave.learningRate(), new double[] {0.02, 0.1}).build();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        CrossValidatorModel tuned = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(accuracy).setNumFolds(2).setSeed(3).fit(images);
        assertEquals(2, tuned.avgMetrics().length);

        PipelineModel best = (PipelineModel) tuned.bestModel();
        HeatwaveClassificationModel model = (HeatwaveClassificationModel) best.stages()[1];
        assertEquals(3, model.numClasses());
        assertTrue(CLASSES.containsAll(model.classNames()), model.classNames().toString());
        assertEquals(3, model.spec().channels());
        Dataset<Row> predicted = best.transform(images);
        double acc = accuracy.evaluate(predicted);
        assertTrue(acc > 0.8, "accuracy " + acc + " (chance: 1/3)");

        String saved = tmp.resolve("pipeline-model").toString();
        best.write().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        List<Row> before = predicted.select("image.origin", "prediction", "probability", "rawPrediction").collectAsList();
        List<Row> after = loaded.transform(images).select("image.origin", "prediction", "probability", "rawPrediction")
                .collectAsList();
        assertEquals(before, after, "predictions after save and load");
        HeatwaveClassificationModel reloaded = (HeatwaveClassificationModel) loaded.stages()[1];
        assertArrayEquals(model.parameters(), reloaded.parameters());
        assertEquals(model.classNames(), reloaded.classNames());
        assertEquals(model.getLearningRate(), reloaded.getLearningRate());
    }

    @Test
    void theSameSeedGivesTheSameBitsWhateverThePartitioning() {
        Dataset<Row> indexed = new StringIndexer().setInputCol("class").setOutputCol("label").fit(images).transform(images);
        // with per-channel standardisation: its statistics, too, must not depend on the partitioning
        double[] one = small().setInputStandardization("per-channel").fit(indexed.coalesce(1)).parameters();
        double[] three = small().setInputStandardization("per-channel")
                .fit(indexed.repartition(3).orderBy("image.origin")).parameters();
        assertArrayEquals(one, three);
    }

    @Test
    void perChannelStandardizationComesFromTheTrainingImagesAndTravelsWithTheModel() throws Exception {
        Dataset<Row> indexed = new StringIndexer().setInputCol("class").setOutputCol("label").fit(images).transform(images);
        HeatwaveClassificationModel model = small().setEpochs(1).setInputStandardization("per-channel").fit(indexed);
        // expected: each of R, G, B over every pixel of every image, from the image source's BGR bytes
        double[] sum = new double[3], squares = new double[3];
        long pixels = 0;
        for (Row r : images.select("image.data").collectAsList()) {
            byte[] bgr = r.getAs(0);
            for (int k = 0; k < bgr.length; k += 3) {
                for (int c = 0; c < 3; c++) {
                    double v = (bgr[k + 2 - c] & 0xff) / 255.0;
                    sum[c] += v;
                    squares[c] += v * v;
                }
            }
            pixels += bgr.length / 3;
        }
        InputStandardization s = model.spec().input();
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / pixels;
            assertEquals(mean, s.mean()[c], 1e-6, "channel " + c + " mean");
            assertEquals(Math.sqrt(squares[c] / pixels - mean * mean), s.std()[c], 1e-6, "channel " + c + " std");
        }
        // the training summary, as MLlib's: the objective at every logged step
        assertTrue(model.hasSummary());
        HeatwaveTrainingSummary summary = model.summary();
        assertEquals(9, summary.totalIterations()); // 72 images, batches of 8, 1 epoch
        assertEquals(summary.steps().length, summary.objectiveHistory().length);
        assertEquals(9, summary.steps()[summary.steps().length - 1]);
        assertTrue(java.util.Arrays.stream(summary.objectiveHistory()).allMatch(v -> v > 0 && v < 10));
        assertEquals(1.0, summary.dataPasses()[summary.dataPasses().length - 1], 1e-12);
        assertTrue(summary.curves().getWidth() > 600, "the run's training curves");
        String dir = tmp.resolve("standardized").toString();
        model.write().save(dir);
        HeatwaveClassificationModel loaded = HeatwaveClassificationModel.load(dir);
        assertTrue(!loaded.hasSummary());
        assertThrows(IllegalStateException.class, loaded::summary);
        assertEquals(s, loaded.spec().input());
        List<Row> before = model.transform(images).select("rawPrediction").collectAsList();
        assertEquals(before, loaded.transform(images).select("rawPrediction").collectAsList());
        // the statistics are applied at prediction: the same parameters without them score otherwise
        HeatwaveClassificationModel without = new HeatwaveClassificationModel("without",
                model.spec().standardized(InputStandardization.NONE), model.parameters(), model.classNames(),
                model.input()).setFeaturesCol("image");
        assertNotEquals(before, without.transform(images).select("rawPrediction").collectAsList());
    }

    @Test
    void everyEstimatorSettingIsAParamWithItsDefaultCheckGetterAndSetter() throws Exception {
        HeatwaveClassifier c = new HeatwaveClassifier();
        for (Setting<?> s : Keys.estimatorSettings()) {
            assertTrue(c.hasParam(s.paramName()), s.key());
            assertTrue(c.getParam(s.paramName()).doc().contains(s.key()), s.key());
            String name = Character.toUpperCase(s.paramName().charAt(0)) + s.paramName().substring(1);
            var getter = HeatwaveClassifier.class.getMethod("get" + name);
            assertEquals(HeatwaveClassifier.class, java.util.Arrays.stream(HeatwaveClassifier.class.getMethods())
                    .filter(m -> m.getName().equals("set" + name) && m.getParameterCount() == 1).findFirst()
                    .orElseThrow(() -> new AssertionError(s.key() + ": no set" + name)).getReturnType(), s.key());
            assertTrue(getter.invoke(c) != null, s.key());
        }
        assertEquals(Keys.BATCH_SIZE.defaultValue(), c.getBatchSize());
        assertEquals("sgd", c.getOptimizer());
        assertArrayEquals(new int[] {16, 32, 64}, c.getWidths());
        assertThrows(IllegalArgumentException.class, () -> c.setMomentum(1.5));
        assertThrows(IllegalArgumentException.class, () -> c.setOptimizer("rmsprop"));
        assertThrows(IllegalArgumentException.class, () -> c.set(c.getParam("dataShards"), 0));
    }

    @Test
    void badInputIsRefusedNamingTheColumnOrTheSetting() {
        Dataset<Row> indexed = new StringIndexer().setInputCol("class").setOutputCol("label").fit(images).transform(images);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().setFeaturesCol("picture").fit(indexed));
        assertTrue(e.getMessage().contains("no column picture"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small().setWidths(new int[] {4, 8, 16, 32}).fit(indexed));
        assertTrue(e.getMessage().contains("model.widths = [4, 8, 16, 32] does not fit 16x16 images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small().setBatchSize(10).fit(indexed));
        assertTrue(e.getMessage().contains("not a multiple of data.shards"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small().setLabelCol("class").fit(indexed));
        assertTrue(e.getMessage().contains("label column class is string"), e.getMessage());
    }

    @Test
    void aDirectoryThatIsNotAModelAndATamperedModelAreRefusedByName() throws Exception {
        Dataset<Row> indexed = new StringIndexer().setInputCol("class").setOutputCol("label").fit(images).transform(images);
        HeatwaveClassificationModel model = small().setEpochs(1).fit(indexed);
        Path dir = tmp.resolve("tampered");
        model.write().save(dir.toString());
        IllegalArgumentException notModel = assertThrows(IllegalArgumentException.class,
                () -> HeatwaveClassificationModel.load(tmp.resolve("images").toString()));
        assertTrue(notModel.getMessage().contains("is not a saved HeatwaveClassificationModel: it has no metadata/"),
                notModel.getMessage());
        Path params = dir.resolve("heatwave").resolve("params.bin");
        byte[] bytes = Files.readAllBytes(params);
        bytes[17] ^= 1;
        Files.write(params, bytes);
        // the local FileSystem's own .crc would catch the edit first; heatwave's SHA-256 must catch it on any FileSystem
        Files.deleteIfExists(params.resolveSibling(".params.bin.crc"));
        java.io.UncheckedIOException tampered = assertThrows(java.io.UncheckedIOException.class,
                () -> HeatwaveClassificationModel.load(dir.toString()));
        assertTrue(tampered.getMessage().contains("params.bin: checksum mismatch"), tampered.getMessage());
    }

    @Test
    void aLabelThatIsNotAClassIndexAndImagesOfAnotherChannelCountAreNamed() throws Exception {
        Dataset<Row> indexed = new StringIndexer().setInputCol("class").setOutputCol("label").fit(images).transform(images);
        Dataset<Row> halves = indexed.withColumn("label", functions.when(functions.col("image.origin").endsWith("/sea/005.png"),
                functions.lit(0.5)).otherwise(functions.col("label")));
        Exception e = assertThrows(Exception.class, () -> small().setEpochs(1).fit(halves));
        String messages = messages(e);
        assertTrue(messages.contains("sea/005.png: label 0.5 is not an integer class index"), messages);

        HeatwaveClassificationModel model = small().setEpochs(1).fit(indexed);
        Path grey = Files.createDirectories(tmp.resolve("grey"));
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png", grey.resolve("g.png").toFile());
        Dataset<Row> greyImages = spark.read().format("image").load(grey.toString());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> model.transform(greyImages).count());
        assertTrue(wrong.getMessage().contains("imageShape [3, 16, 16] but column image holds images 1x16x16"),
                wrong.getMessage());
    }

    private static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
