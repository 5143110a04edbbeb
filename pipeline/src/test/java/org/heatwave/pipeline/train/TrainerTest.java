package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.ConfigurationException;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.io.ModelIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training job on real Spark (local mode) and real files, on a tiny generated dataset. */
class TrainerTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = TinyDataset.write(tmp.resolve("data"), 256, 64, 8, 11);
    }

    static Settings settings(Path dataDir, String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + dataDir, "model.widths=[4,8]", "model.steps=2",
                "train.batch-size=32", "train.epochs=1", "train.learning-rate=0.1", "log.every-steps=2"));
        o.addAll(List.of(extra));
        return Settings.load(null, o);
    }

    static Trainer.Result train(String master, Settings s, Path run) throws IOException {
        return train(master, s, run, new ByteArrayOutputStream());
    }

    /** As {@link #train(String, Settings, Path)}, the console's lines written to {@code console}. */
    static Trainer.Result train(String master, Settings s, Path run, ByteArrayOutputStream console) throws IOException {
        try (JavaSparkContext jsc = SparkContexts.create("heatwave test", master)) {
            return new Trainer(s, new PrintStream(console, true, StandardCharsets.UTF_8)).run(jsc, run.toString());
        }
    }

    @Test
    void resultDoesNotDependOnPartitioning() throws IOException {
        Trainer.Result one = train("local[1]", settings(data, "data.partitions=1", "train.max-steps=6"), tmp.resolve("run-1"));
        Trainer.Result four = train("local[2]", settings(data, "data.partitions=4", "train.max-steps=6"), tmp.resolve("run-4"));
        double a = one.summary().get("train_loss").asDouble(), b = four.summary().get("train_loss").asDouble();
        // Every example's contribution is formed the same way wherever it sits and summed in float64, so the
        // two runs differ only by float64 rounding (the bound is 1e-5).
        assertEquals(a, b, 1e-12 * Math.abs(a), "final training loss, 1 partition vs 4");
        double maxDiff = 0, maxVal = 0;
        for (int i = 0; i < one.params().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(one.params()[i] - four.params()[i]));
            maxVal = Math.max(maxVal, Math.abs(one.params()[i]));
        }
        assertTrue(maxDiff <= 1e-12 * maxVal, "parameters differ by " + maxDiff);
        assertEquals(4, four.summary().get("partitions").asInt());
        assertEquals(6, four.summary().get("steps").asInt());
    }

    @Test
    void writesTheRunDirectoryAndLearns() throws IOException {
        Path run = tmp.resolve("run-full");
        Trainer.Result r = train("local[2]", settings(data, "train.epochs=3", "data.partitions=2"), run);
        for (String f : List.of("model/model.json", "model/params.bin", "metrics.jsonl", "summary.json", "config.conf",
                "training.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " missing");
        }
        for (String key : List.of("test_accuracy", "train_loss", "epochs", "train_images", "train_seconds",
                "train_images_per_second", "params", "spark_master", "partitions", "seed")) {
            assertTrue(r.summary().has(key), "summary.json lacks " + key);
        }
        assertTrue(r.summary().get("test_accuracy").asDouble() > 0.85,
                "bar orientation is easy to learn; test accuracy " + r.summary().get("test_accuracy"));
        assertEquals(24, r.summary().get("steps").asInt());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertTrue(metrics.stream().anyMatch(l -> l.contains("\"kind\":\"epoch\"")), "epoch records in metrics.jsonl");
        // bench/speed.sh's end-to-end and inference figures come from the epoch records' clock and test timing
        long wallStart = System.currentTimeMillis();
        for (String line : metrics) {
            com.fasterxml.jackson.databind.JsonNode e = org.heatwave.pipeline.io.Json.MAPPER.readTree(line);
            if (e.path("kind").asText().equals("epoch")) {
                assertTrue(e.path("test_seconds").asDouble() > 0, "an epoch record gives its test evaluation's seconds: " + line);
                assertTrue(e.path("test_images").asLong() > 0, line);
                double passEnd = e.path("pass_end_unix_seconds").asDouble();
                assertTrue(passEnd > wallStart / 1e3 - 600 && passEnd <= wallStart / 1e3, "the pass ended on the wall clock: " + line);
            }
        }
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(run.resolve("training.png").toFile());
        assertTrue(png.getWidth() > 1000 && png.getHeight() > 300, "training.png is a two-panel plot");
        ModelIO.SavedModel m = ModelIO.load(run.resolve("model").toString(), new org.apache.hadoop.conf.Configuration());
        assertEquals(r.params().length, m.params().length);
    }

    @Test
    void batchNormalisationLearnsRunningStatisticsAndEvaluatesWithThem() throws IOException {
        Path run = tmp.resolve("run-batch-norm");
        Trainer.Result r = train("local[2]", settings(data, "train.epochs=2", "data.partitions=2",
                "model.normalization=batch", "train.batch-norm-momentum=0.2"), run);
        ModelIO.SavedModel m = ModelIO.load(run.resolve("model").toString(), new org.apache.hadoop.conf.Configuration());
        assertEquals(org.heatwave.layer.Normalization.BATCH, m.spec().normalization());
        org.heatwave.net.Network net = m.spec().build();
        assertEquals((2 * 4 + 1) + (2 * 8 + 1), net.statisticsCount(), "opening layer (4) and connector (8) report moments");
        // the opening layer's running statistics (after its stencil, γ and β) have left their initial 0 and 1
        int running = 9 * 4 + 2 * 4;
        double[] p = m.params();
        for (int ch = 0; ch < 4; ch++) {
            assertTrue(p[running + ch] != 0 && p[running + 4 + ch] != 1 && p[running + 4 + ch] > 0,
                    "running mean/variance of channel " + ch + ": " + p[running + ch] + ", " + p[running + 4 + ch]);
        }
        // the test accuracy is measured with the running statistics (inference binding) and is learnt
        assertTrue(r.summary().get("test_accuracy").asDouble() > 0.8, "test accuracy " + r.summary().get("test_accuracy"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"adam", "lbfgs", "sgn", "sgn-varpro", "sgd-sgn-varpro"})
    void everyOptimiserTrainsOnSparkAndLogsItsIterations(String optimizer) throws IOException {
        Path run = tmp.resolve("run-" + optimizer);
        boolean firstOrder = optimizer.equals("adam");
        Trainer.Result r = train("local[2]", settings(data, "train.optimizer=" + optimizer, "data.partitions=2",
                "train.epochs=" + (firstOrder ? 3 : 12), "train.learning-rate=" + (firstOrder ? 0.01 : 0.1),
                "train.sample-size=128", "train.resample-every=2", "train.cg-iterations=5"), run);
        assertEquals(optimizer, r.summary().get("optimizer").asText());
        double passes = r.summary().get("data_passes").asDouble();
        // second-order methods stop at the first iteration past the budget (an iteration here is up to ~4 passes)
        assertTrue(passes >= (firstOrder ? 2.9 : 12) && passes < (firstOrder ? 3.1 : 17), "data passes " + passes);
        assertTrue(r.summary().get("test_accuracy").asDouble() > 0.7,
                optimizer + ": test accuracy " + r.summary().get("test_accuracy"));
        List<com.fasterxml.jackson.databind.JsonNode> train = records(run, "train");
        List<String> fields = new ArrayList<>(List.of("loss", "accuracy", "step_length", "data_passes", "gradient_norm"));
        boolean hybrid = optimizer.equals("sgd-sgn-varpro");
        if (!firstOrder) {
            fields.addAll(List.of("cg_iterations", "cg_residual", "line_search_evaluations", "sample_size"));
            if (!hybrid) {
                assertEquals(r.summary().get("steps").asLong(), train.size(), "a record per iteration");
            }
        }
        if (optimizer.endsWith("sgn-varpro")) {
            fields.addAll(List.of("inner_iterations", "inner_gradient_norm"));
        }
        // the hybrid's records: its sgd phase's (a learning rate, no CG), then one per Gauss-Newton iteration
        var last = train.get(train.size() - 1);
        for (String f : fields) {
            assertTrue(last.has(f), optimizer + ": metrics.jsonl lacks " + f + ": " + last);
        }
        if (hybrid) {
            assertTrue(train.get(0).has("learning_rate") && !train.get(0).has("cg_iterations"), train.get(0).toString());
            long sgdSteps = Math.round((12 - 0.3) * 256 / 32);
            assertEquals(sgdSteps + train.stream().filter(n -> n.has("cg_iterations")).count(), r.summary().get("steps").asLong(),
                    "the Gauss-Newton iterations follow the sgd phase's steps");
            assertEquals(sgdSteps + 1, train.stream().filter(n -> n.has("cg_iterations")).findFirst().orElseThrow().get("step").asLong());
        }
        assertTrue(train.stream().allMatch(n -> Double.isFinite(n.get("accuracy").asDouble())), optimizer + ": accuracy logged");
        if (optimizer.contains("sgn")) {
            assertTrue(train.stream().filter(n -> n.has("cg_iterations"))
                    .allMatch(n -> n.get("cg_iterations").asInt() >= 1 && n.get("cg_iterations").asInt() <= 5));
        }
    }

    /**
     * With a batch that does not divide the training set, SGD's epochs end short of whole passes (5 × 48 = 240 of 256
     * examples); the hybrid's Gauss-Newton phase ends a pass where a whole number of those epochs is crossed, so no
     * "epoch" record comes before its data are spent.
     */
    @Test
    void theHybridsPassesEndWhereSgdsEpochsDo() throws IOException {
        Path run = tmp.resolve("run-hybrid-epochs");
        Trainer.Result r = train("local[2]", settings(data, "train.optimizer=sgd-sgn-varpro", "data.partitions=2", "train.batch-size=48",
                "train.epochs=3", "train.hybrid-gn-passes=0.4", "train.sample-size=16", "train.cg-iterations=1"), run);
        double epoch = 5 * 48 / 256.0;
        double passes = r.summary().get("data_passes").asDouble();
        assertTrue(passes >= 3 * epoch - 1e-9 && passes < 3 * epoch + 0.5, "the budget is 3 of sgd's epochs: " + passes);
        int last = 0;
        for (com.fasterxml.jackson.databind.JsonNode n : records(run, "epoch")) {
            last = n.get("epoch").asInt();
            assertTrue(n.get("data_passes").asDouble() >= last * epoch - 1e-9, "epoch " + last + " ended at " + n);
        }
        assertEquals(3, last);
    }

    /** train.hybrid-classifier-sample: the run ends with the classifier solved on that sample, a record of its own. */
    @Test
    void theHybridsFinalClassifierSolveIsItsLastIterationAndCountsInItsPasses() throws IOException {
        Path run = tmp.resolve("hybrid-final-classifier");
        // 18 steps of 32 are 2.25 passes of the 3, the solve on 128 of 256 examples 0.5: 0.25 passes for Gauss-Newton
        Trainer.Result r = hybridWithClassifierStage(run, 0.8, "sgd for 18 steps of 32, then sgn-varpro for 0.25 passes, then the "
                + "classifier solved on 128 examples (0.50 passes)");
        List<com.fasterxml.jackson.databind.JsonNode> train = records(run, "train");
        var last = train.get(train.size() - 1);
        var before = train.get(train.size() - 2);
        assertEquals(128, last.get("elimination_examples").asInt(), last.toString());
        assertEquals(r.summary().get("steps").asLong(), last.get("step").asLong());
        assertTrue(before.get("cg_iterations").asInt() >= 1, "Gauss-Newton iterations before it: " + before);
        assertEquals(before.get("data_passes").asDouble() + 0.5, last.get("data_passes").asDouble(), 1e-12, "128 of 256 examples");
        assertEquals(last.get("data_passes").asDouble(), r.summary().get("data_passes").asDouble(), 1e-12);
        assertTrue(before.get("data_passes").asDouble() >= 2.75 - 1e-9, "the Gauss-Newton phase ran until the half pass was left: "
                + before);
    }

    /** When the final classifier solve takes what train.hybrid-gn-passes leaves, no Gauss-Newton iteration runs, and the console says so. */
    @Test
    void aFinalClassifierSolveThatFillsTheSecondPhaseLeavesNoGaussNewtonIteration() throws IOException {
        Path run = tmp.resolve("hybrid-classifier-only");
        Trainer.Result r = hybridWithClassifierStage(run, 0.5, "sgd for 20 steps of 32, then the classifier solved on 128 examples "
                + "(0.50 passes): no Gauss–Newton iteration fits in train.hybrid-gn-passes = 0.5");
        List<com.fasterxml.jackson.databind.JsonNode> train = records(run, "train");
        // the sgd phase's records, then the classifier solve's (whose cg_iterations are 0): no Gauss-Newton iteration's
        assertTrue(train.stream().noneMatch(n -> n.has("cg_iterations") && !n.has("elimination_examples")), "a Gauss-Newton record");
        var last = train.get(train.size() - 1);
        assertEquals(128, last.get("elimination_examples").asInt(), last.toString());
        assertEquals(21, r.summary().get("steps").asLong());
        assertEquals(3.0, r.summary().get("data_passes").asDouble(), 1e-12);
    }

    /**
     * The hybrid over 3 epochs of the tiny data with {@code gnPasses} for its second phase and the classifier last solved on
     * 128 of the 256 examples, its console saying {@code plan} and naming its regularisers.
     */
    private Trainer.Result hybridWithClassifierStage(Path run, double gnPasses, String plan) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Trainer.Result r = train("local[2]", settings(data, "train.optimizer=sgd-sgn-varpro", "data.partitions=2", "train.epochs=3",
                "train.hybrid-gn-passes=" + gnPasses, "train.hybrid-classifier-sample=128", "train.sample-size=32",
                "train.cg-iterations=2"), run, console);
        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains(plan), out);
        // variable projection's two weights, each named: the features' decay and the classifier problem's α
        assertTrue(out.contains("regularisers: [tikhonov λ=1.0E-4 on the features (train.weight-decay), tikhonov λ=1.0E-4 on "
                + "the classifier (train.classifier-tikhonov)]"), out);
        return r;
    }

    /** A final classifier sample larger than the second phase's passes would run past sgd's budget: refused before training. */
    @Test
    void aFinalClassifierSampleBeyondTheSecondPhaseIsRefused() {
        Path run = tmp.resolve("hybrid-classifier-too-large");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> train("local[2]", settings(data,
                "train.optimizer=sgd-sgn-varpro", "train.epochs=3", "train.hybrid-gn-passes=0.3", "train.hybrid-classifier-sample=1000"),
                run));
        assertTrue(e.getMessage().contains("train.hybrid-classifier-sample = 1000 is 1.00 passes of the 256 training examples, more "
                + "than the 0.3 passes train.hybrid-gn-passes leaves after sgd: make it at most 76"), e.getMessage());
        assertFalse(Files.exists(run), "nothing written");
    }

    /** The run's {@code metrics.jsonl} records of one kind ("train", "eval", "epoch"), in order. */
    private static List<com.fasterxml.jackson.databind.JsonNode> records(Path run, String kind) throws IOException {
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.JsonNode n = org.heatwave.pipeline.io.Json.MAPPER.readTree(line);
            if (n.get("kind").asText().equals(kind)) {
                out.add(n);
            }
        }
        return out;
    }

    /** log.heartbeat-seconds = 0: every computation of a second-order iteration is named on the console as it starts. */
    @Test
    void aGaussNewtonIterationSaysWhatItIsWorkingOn() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        train("local[2]", settings(data, "train.optimizer=sgn-varpro", "train.sample-size=64", "train.cg-iterations=2",
                "train.max-steps=1", "train.epochs=50", "log.heartbeat-seconds=0"), tmp.resolve("heartbeat"), console);
        String out = console.toString(StandardCharsets.UTF_8);
        for (String phase : List.of("  … iter 1 · loss+gradient · classifier solve", "  … iter 1 · CG 1/2", "  … iter 1 · CG 2/2",
                "  … iter 1 · line search 1")) {
            assertTrue(out.contains(phase), "no '" + phase + "' in:\n" + out);
        }
        // train.max-steps = 1 ends the run after this iteration, long before train.epochs = 50 passes
        assertTrue(out.lines().anyMatch(l -> l.startsWith("iter 1 · ") && l.endsWith("ETA 0m00s")), out);
    }

    @Test
    void sgnVarproIsFixedByTheSeed() throws IOException {
        String[] o = {"train.optimizer=sgn-varpro", "train.sample-size=64", "train.cg-iterations=3", "train.max-steps=3",
            "train.epochs=50"};
        Trainer.Result a = train("local[1]", settings(data, concat(o, "data.partitions=1")), tmp.resolve("varpro-a"));
        Trainer.Result b = train("local[2]", settings(data, concat(o, "data.partitions=3")), tmp.resolve("varpro-b"));
        double maxDiff = 0, maxVal = 0;
        for (int i = 0; i < a.params().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.params()[i] - b.params()[i]));
            maxVal = Math.max(maxVal, Math.abs(a.params()[i]));
        }
        // the classifier's Newton iterations amplify float64 rounding differences a little
        assertTrue(maxDiff <= 1e-8 * maxVal, "parameters differ by " + maxDiff + " of " + maxVal);
        assertEquals(3, a.summary().get("steps").asInt());
    }

    @Test
    void sgnVarproSolvesForTheClassifierOnTheDriverOrDistributedAlike() throws IOException {
        // a well-conditioned classifier problem solved tightly, so both places find the same w to ~1e-7 (the sums
        // are grouped differently: all features at once on the driver, chunk by chunk on the executors); a strongly
        // damped step, so the step does not amplify that difference and the comparison measures the solve
        String[] o = {"train.optimizer=sgn-varpro", "model.head=full", "train.sample-size=64", "train.cg-iterations=2",
            "train.damping=1",
            "train.max-steps=1", "train.epochs=50", "data.partitions=2", "train.classifier-tikhonov=1e-2",
            "train.classifier-tolerance=1e-7"};
        Trainer.Result driver = train("local[2]", settings(data, concat(o, "train.classifier-solve=driver")), tmp.resolve("vp-driver"));
        Trainer.Result distributed = train("local[2]", settings(data, concat(o, "train.classifier-solve=distributed")),
                tmp.resolve("vp-distributed"));
        double maxDiff = 0, maxVal = 0;
        for (int i = 0; i < driver.params().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(driver.params()[i] - distributed.params()[i]));
            maxVal = Math.max(maxVal, Math.abs(driver.params()[i]));
        }
        assertTrue(maxDiff <= 1e-5 * maxVal, "parameters differ by " + maxDiff + " of " + maxVal);
    }

    @Test
    void checkpointCurvesRunFromTheStartToTheFinalModel() throws IOException {
        // batch 48 of 256 examples: 5 steps per epoch, 0.9375 passes; the run ends at 1.875 passes, off the grid of 0.5
        Path run = tmp.resolve("run-checkpoints");
        Trainer.Result r = train("local[2]", settings(data, "train.batch-size=48", "train.epochs=2", "log.eval-every-passes=0.5",
                "log.train-eval-examples=64"), run);
        List<com.fasterxml.jackson.databind.JsonNode> evals = records(run, "eval");
        assertEquals(0, evals.get(0).get("data_passes").asDouble(), 0);
        assertEquals(r.summary().get("data_passes").asDouble(), evals.get(evals.size() - 1).get("data_passes").asDouble(), 1e-12);
        assertEquals(r.summary().get("test_accuracy").asDouble(), evals.get(evals.size() - 1).get("test_accuracy").asDouble(), 1e-12);
        assertEquals(64, evals.get(1).get("train_eval_examples").asInt());
    }

    @Test
    void trainsOnAPyramidLevelExactlyAsOnTheFilesItWasBuiltFrom() throws IOException {
        String pyramid = tmp.resolve("pyramid").toUri().toString();
        try (JavaSparkContext jsc = SparkContexts.create("heatwave test", "local[2]")) {
            org.heatwave.pipeline.data.DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), pyramid, 1, 2);
        }
        Trainer.Result files = train("local[2]", settings(data, "train.max-steps=4"), tmp.resolve("from-files"));
        Trainer.Result level0 = train("local[2]", settings(data, "train.max-steps=4", "data.pyramid=" + pyramid),
                tmp.resolve("from-pyramid"));
        assertEquals(java.util.Arrays.toString(files.params()), java.util.Arrays.toString(level0.params()));
        // one block: 4x4 images pooled once more would be too small for a 3x3 stencil
        Trainer.Result level1 = train("local[2]", settings(data, "train.max-steps=4", "model.widths=[6]", "data.pyramid=" + pyramid,
                "data.level=1"), tmp.resolve("level-1"));
        assertEquals(4, level1.spec().height());
        assertTrue(level1.summary().get("data").asText().endsWith("pyramid level 1"), level1.summary().toString());
        IllegalArgumentException noPyramid = assertThrows(IllegalArgumentException.class,
                () -> train("local[1]", settings(data, "data.level=1"), tmp.resolve("no-pyramid")));
        assertTrue(noPyramid.getMessage().contains("data.level = 1 needs data.pyramid"), noPyramid.getMessage());
        IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
                () -> train("local[1]", settings(data, "data.pyramid=" + pyramid, "data.level=2"), tmp.resolve("deep")));
        assertTrue(tooDeep.getMessage().contains("has levels 0 to 1, not 2"), tooDeep.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A copy of the tiny dataset whose training image file is replaced by {@code images} (raw IDX). */
    static Path withTrainImages(String name, byte[] images) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(data.resolve(f), dir.resolve(f));
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        return dir;
    }

    static void assertRefused(Path dataDir, String... fragments) {
        Path run = tmp.resolve("refused-" + dataDir.getFileName());
        Exception e = assertThrows(IOException.class, () -> train("local[1]", settings(dataDir), run));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        assertFalse(Files.exists(run.resolve("model")), "no model may be written");
    }

    @Test
    void truncatedFileIsRefusedBeforeTraining() throws IOException {
        byte[] full = TinyDataset.imagesFile(256, 8, 8, new byte[256 * 64]);
        assertRefused(withTrainImages("truncated", java.util.Arrays.copyOf(full, full.length - 100)),
                "train-images-idx3-ubyte", "truncated");
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        byte[] bad = TinyDataset.imagesFile(256, 8, 8, new byte[256 * 64]);
        bad[3] = 0x02;
        assertRefused(withTrainImages("magic", bad), "train-images-idx3-ubyte", "magic");
    }

    @Test
    void countsThatDisagreeAreRefused() throws IOException {
        assertRefused(withTrainImages("counts", TinyDataset.imagesFile(255, 8, 8, new byte[255 * 64])),
                "disagree", "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    }

    @Test
    void headerClaimingMoreThanTheFileHoldsIsRefused() throws IOException {
        byte[] small = TinyDataset.imagesFile(256, 8, 8, new byte[256 * 64]);
        java.nio.ByteBuffer.wrap(small).putInt(4, 1_000_000_000);
        assertRefused(withTrainImages("claims", small), "train-images-idx3-ubyte");
    }

    @Test
    void labelOutOfRangeIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("labels"));
        for (String f : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(data.resolve(f), dir.resolve(f));
        }
        byte[] labels = new byte[256];
        labels[57] = 11;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TinyDataset.labelsFile(labels));
        assertRefused(dir, "train-labels-idx1-ubyte", "11", "57");
    }
}
