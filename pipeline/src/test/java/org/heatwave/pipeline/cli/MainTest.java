package org.heatwave.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract: train writes a run directory, evaluate prints one JSON object. */
public class MainTest {

    @Test
    void trainThenEvaluate(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp.resolve("data"), 128, 64, 8, 3);
        Path conf = tmp.resolve("tiny.conf");
        Files.writeString(conf, "model.widths = [4, 8]\nmodel.steps = 1\ntrain { epochs = 1, batch-size = 32 }\n"
                + "spark.master = \"local[2]\"\n");
        Path run = tmp.resolve("run");
        // --config as a FileSystem URI, as a driver on a cluster reads it
        String out = capture(() -> assertEquals(0, Main.execute("train", "--config", conf.toUri().toString(), "--out",
                run.toString(), "--set", "data.path=" + data)));
        assertTrue(out.contains("test accuracy"), out);
        JsonNode summary = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
        Path evaluation = tmp.resolve("evaluation");
        String json = capture(() -> assertEquals(0, Main.execute("evaluate", "--model", run.resolve("model").toString(),
                "--data-path", data.toString(), "--master", "local[2]", "--out", evaluation.toString())));
        JsonNode r = Json.MAPPER.readTree(json.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(64, r.get("count").asInt());
        assertEquals(summary.get("test_accuracy").asDouble(), r.get("accuracy").asDouble(), 1e-12);
        assertEquals(summary.get("test_loss").asDouble(), r.get("loss").asDouble(), 1e-6);
        assertEquals(r, Json.MAPPER.readTree(evaluation.resolve("confusion.json").toFile()));
        assertEquals(10, r.get("confusion").size());
        assertEquals("T-shirt/top", r.get("classes").get(0).get("name").asText());
        assertTrue(Files.size(evaluation.resolve("confusion.png")) > 1000);
        assertEquals(ExitCodes.CANNOT_CREATE, Main.execute("evaluate", "--model", run.resolve("model").toString(),
                "--data-path", data.toString(), "--out", evaluation.toString()));
    }

    @Test
    void checkTrainsAndPredictsOnGeneratedImagesAndLeavesNothing() throws Exception {
        java.util.Set<Path> before = tempChecks();
        String out = capture(() -> assertEquals(0, Main.execute("check", "--master", "local[2]")));
        assertTrue(out.contains("kernels SIMD") || out.contains("kernels plain loops"), out);
        assertTrue(out.contains("check passed: one epoch trained and evaluated in Spark (local[2]"), out);
        assertTrue(out.contains("its model classified the 64 test images"), out);
        assertEquals(before, tempChecks());
    }

    private static java.util.Set<Path> tempChecks() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("heatwave-check")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void multilevelExperimentsBuildThePyramidAndWriteTheirTables(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp.resolve("data"), 96, 32, 16, 6);
        Path conf = tmp.resolve("tiny.conf");
        Files.writeString(conf, "model.widths = [4]\nmodel.steps = 1\nmodel.head = full\ntrain { epochs = 1, batch-size = 32,"
                + " learning-rate = 0.05 }\nspark.master = \"local[2]\"\ndata.path = \"" + data + "\"\n");
        Path cross = tmp.resolve("cross");
        String printed = capture(() -> assertEquals(0, Main.execute("experiment", "cross-resolution", "--config",
                conf.toString(), "--out", cross.toString())));
        assertTrue(printed.contains("| 16x16 | 8x8 | galerkin |"), printed);
        assertTrue(printed.contains("| 8x8 | 16x16 | rediscretisation |"), printed);
        JsonNode json = Json.MAPPER.readTree(cross.resolve("cross-resolution.json").toFile());
        assertEquals(8, json.get("rows").size(), "2 models x (own level + 3 transfers)");
        assertTrue(Files.isRegularFile(cross.resolve("pyramid/pyramid.json")));
        // train runs a schedule when multilevel.levels is set
        Path scheduled = tmp.resolve("scheduled");
        String trained = capture(() -> assertEquals(0, Main.execute("train", "--config", conf.toString(), "--out",
                scheduled.toString(), "--set", "data.pyramid=" + cross.resolve("pyramid"), "--set", "multilevel.levels=[1, 0]",
                "--set", "multilevel.epochs=[1, 1]")));
        assertTrue(trained.contains("multilevel done"), trained);
        assertTrue(Files.isRegularFile(scheduled.resolve("multilevel.json")));

        Path ml = tmp.resolve("ml");
        String table = capture(() -> assertEquals(0, Main.execute("experiment", "multilevel", "--config", conf.toString(),
                "--levels", "1,0", "--epochs", "1,1", "--fine-epochs", "1", "--out", ml.toString())));
        assertTrue(table.contains("multilevel / fine-only wall time"), table);
        JsonNode r = Json.MAPPER.readTree(ml.resolve("multilevel-vs-fine.json").toFile());
        assertTrue(r.get("time_ratio").asDouble() > 0, r.toString());
        assertEquals(2, r.get("multilevel").get("levels").size());
        byte[] png = Files.readAllBytes(ml.resolve("multilevel-vs-fine.png"));
        assertTrue(png.length > 1000 && png[1] == 'P');
    }

    @Test
    void unknownDatasetsAreNamedWithTheAvailableOnes() throws Exception {
        String fetch = captureErr(() -> assertEquals(ExitCodes.USAGE, Main.execute("data", "fetch", "cifar-10")));
        assertTrue(fetch.contains("unknown dataset 'cifar-10'; available: fashion-mnist, mnist"), fetch);
        String evaluate = captureErr(() -> assertEquals(ExitCodes.USAGE, Main.execute("evaluate", "--model", "nowhere", "--data",
                "svhn:test")));
        assertTrue(evaluate.contains("unknown dataset 'svhn'; available: fashion-mnist, mnist"), evaluate);
    }

    @Test
    void trainsAndEvaluatesOtherArchitecturesOnSpark(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp.resolve("data"), 96, 32, 8, 3);
        Path run = tmp.resolve("run");
        String out = capture(() -> assertEquals(0, Main.execute("train", "--out", run.toString(), "--set",
                "data.path=" + data, "--set", "model.widths=[4, 6]", "--set", "model.steps=2",
                "--set", "model.blocks=[hamiltonian, imex]", "--set", "model.head=full",
                "--set", "train.time-smoothness=tv", "--set", "train.time-smoothness-weight=0.01",
                "--set", "train.classifier-smoothness-weight=1e-4", "--set", "log.every-steps=1",
                "--set", "train.epochs=1", "--set", "train.batch-size=32", "--set", "spark.master=\"local[2]\"")));
        assertTrue(out.contains("test accuracy"), out);
        assertTrue(out.contains("regularisers: [tikhonov λ=1.0E-4, smoothed-TV"), out);
        JsonNode first = Json.MAPPER.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
        assertTrue(first.get("regularizer").asDouble() > 0, first.toString());
        JsonNode model = Json.MAPPER.readTree(run.resolve("model/model.json").toFile());
        assertEquals("pde-cnn", model.get("spec").get("architecture").asText());
        assertEquals("imex", model.get("spec").get("blocks").get(1).asText());
        String json = capture(() -> assertEquals(0, Main.execute("evaluate", "--model", run.resolve("model").toString(),
                "--data-path", data.toString(), "--master", "local[2]")));
        JsonNode r = Json.MAPPER.readTree(json.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(32, r.get("count").asInt());
    }

    @Test
    void optimizersExperimentComparesEveryOptimiserOnTheSameBudget(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp.resolve("data"), 128, 32, 8, 4);
        Path conf = tmp.resolve("tiny.conf");
        Files.writeString(conf, "model.widths = [4, 6]\nmodel.steps = 2\ntrain.batch-size = 32\ntrain.learning-rate = 0.1\n"
                + "train.sample-size = 64\ntrain.cg-iterations = 3\nspark.master = \"local[2]\"\ndata.path = \"" + data + "\"\n"
                // as conf/fashion-mnist-parabolic.conf: label smoothing, which every optimiser takes
                + "train.label-smoothing = 0.1\n");
        Path out = tmp.resolve("opt");
        String printed = capture(() -> assertEquals(0, Main.execute("experiment", "optimizers", "--config", conf.toString(),
                "--passes", "2", "--eval-every", "0.5", "--train-eval", "64", "--out", out.toString())));
        assertTrue(printed.contains("| optimiser | data passes |"), printed);
        for (String o : new String[] {"sgd", "adam", "lbfgs", "sgn", "sgn-varpro", "sgd-sgn-varpro"}) {
            assertTrue(printed.contains("| " + o + " |"), o + " missing from the table: " + printed);
            assertTrue(Files.isRegularFile(out.resolve(o).resolve("metrics.jsonl")), o);
        }
        byte[] png = Files.readAllBytes(out.resolve("optimizers.png"));
        assertTrue(png.length > 1000 && png[1] == 'P', "optimizers.png");
        JsonNode json = Json.MAPPER.readTree(out.resolve("optimizers.json").toFile());
        assertEquals("sgd", json.get("reference").asText());
        assertEquals(6, json.get("runs").size());
        // the hybrid: sgd over 1.7 of the 2 passes (7 steps of 4 per pass), then 0.3 passes of Gauss-Newton, a checkpoint where its sgd phase ends
        assertTrue(Files.readAllLines(out.resolve("sgd-sgn-varpro").resolve("metrics.jsonl")).stream()
                .anyMatch(l -> l.contains("\"kind\":\"eval\",\"step\":7,")), "a checkpoint after the hybrid's sgd phase");
        // every curve starts at pass 0; an sgn iteration here spends about 2.5 passes, so a checkpoint follows each
        long evals = Files.readAllLines(out.resolve("sgn").resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"kind\":\"eval\"")).count();
        assertTrue(evals >= 2, "checkpoints of sgn: " + evals);
        assertTrue(Files.readAllLines(out.resolve("sgd").resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"kind\":\"eval\"")).count() == 5, "sgd: a checkpoint at 0, 0.5, 1, 1.5, 2 passes");
        assertEquals(2.0, json.get("runs").get(0).get("summary").get("data_passes").asDouble(), 1e-9);
    }

    @Test
    void stabilityExperimentWritesTheSeedsFiguresAndNumbers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("stability");
        String printed = capture(() -> assertEquals(0, Main.execute("experiment", "stability", "--out", out.toString())));
        assertTrue(printed.contains("verlet N=1000"), printed);
        for (String f : new String[] {"euler.png", "verlet.png"}) {
            byte[] png = Files.readAllBytes(out.resolve(f));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', f + " is a PNG");
        }
        JsonNode json = Json.MAPPER.readTree(out.resolve("stability.json").toFile());
        JsonNode euler = json.get("euler").get("runs");
        assertEquals(5, euler.size());
        // K+ separates, K− collapses (the first pair, y1 and y2 = −y1)
        assertTrue(euler.get(0).get("distances_final").get(0).asDouble() > 5 * euler.get(0).get("distances_initial").get(0).asDouble());
        assertTrue(euler.get(1).get("distances_final").get(0).asDouble() < 0.2 * euler.get(1).get("distances_initial").get(0).asDouble());
        assertEquals(6, json.get("verlet").get("runs").size());
        assertEquals(1000, json.get("verlet").get("runs").get(5).get("layers").asInt());
    }

    @Test
    void segmentationExperimentComparesImexAndResnet(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("seg");
        String printed = capture(() -> assertEquals(0, Main.execute("experiment", "segmentation", "--out", out.toString(),
                "--size", "16", "--train", "64", "--test", "16", "--epochs", "1", "--width", "4")));
        assertTrue(printed.contains("imex") && printed.contains("IoU"), printed);
        JsonNode json = Json.MAPPER.readTree(out.resolve("segmentation.json").toFile());
        assertEquals(2, json.get("runs").size());
        for (JsonNode r : json.get("runs")) {
            double acc = r.get("pixel_accuracy").asDouble();
            assertTrue(acc > 0 && acc <= 1, r.toString());
            assertEquals(3, r.get("iou").size());
        }
        // equal parameter counts within 1 %
        double a = json.get("runs").get(0).get("params").asDouble();
        double b = json.get("runs").get(1).get("params").asDouble();
        assertTrue(Math.abs(a - b) < 0.01 * a, a + " vs " + b);
        byte[] png = Files.readAllBytes(out.resolve("segmentation.png"));
        assertTrue(png.length > 1000 && png[1] == 'P');
    }

    @Test
    void unknownConfigKeyFailsWithItsName(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute("train", "--set", "train.epoch=3", "--out", tmp.resolve("r").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(ExitCodes.CONFIG, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train.epoch"), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(tmp.resolve("r")), "nothing written");
    }

    public interface Body {
        void run() throws Exception;
    }

    public static String capture(Body body) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            body.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static String captureErr(Body body) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.err;
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            body.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
