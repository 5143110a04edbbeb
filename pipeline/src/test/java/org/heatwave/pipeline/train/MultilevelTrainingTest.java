package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.multilevel.NetworkTransfer;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coarse-to-fine training on a pyramid of the tiny dataset, on real Spark. */
class MultilevelTrainingTest {

    @Test
    void anInterruptedScheduleResumesToTheSameModel(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp.resolve("data"), 128, 32, 16, 8);
        String pyramid = tmp.resolve("pyramid").toUri().toString();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (JavaSparkContext jsc = SparkContexts.create("multilevel resume test", "local[2]")) {
            DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), pyramid, 1, 2);
            Settings s = Settings.load(null, List.of("data.pyramid=" + pyramid, "model.widths=[4]", "model.steps=2",
                    "train.batch-size=32", "train.learning-rate=0.1", "multilevel.levels=[1, 0]", "multilevel.epochs=[2, 2]",
                    "train.checkpoint-every=3", "log.every-steps=2"));
            Path whole = tmp.resolve("whole");
            MultilevelTraining.Result expected = new MultilevelTraining(s, quiet).run(jsc, whole.toString());
            // killed in the fine level after its last checkpoint, before its model: level 1 finished, level 0 not
            Path killed = tmp.resolve("killed");
            org.apache.commons.io.FileUtils.copyDirectory(whole.toFile(), killed.toFile());
            for (String gone : new String[] {"_SUCCESS", "multilevel.json", "summary.json", "level-0/_SUCCESS", "level-0/summary.json"}) {
                Files.delete(killed.resolve(gone));
            }
            org.apache.commons.io.FileUtils.deleteDirectory(killed.resolve("level-0/model").toFile());
            MultilevelTraining.Result resumed = new MultilevelTraining(s, quiet).resume(jsc, killed.toString());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.params(), resumed.params(), 0);
            assertTrue(Files.exists(killed.resolve("_SUCCESS")));
            // killed before the fine level started: it trains from the moved network, as it would have
            Path early = tmp.resolve("early");
            org.apache.commons.io.FileUtils.copyDirectory(whole.toFile(), early.toFile());
            Files.delete(early.resolve("_SUCCESS"));
            org.apache.commons.io.FileUtils.deleteDirectory(early.resolve("level-0").toFile());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.params(),
                    new MultilevelTraining(s, quiet).resume(jsc, early.toString()).params(), 0);
            assertEquals(null, new MultilevelTraining(s, quiet).resume(jsc, early.toString()), "finished: nothing to do");
        }
    }

    @Test
    void trainsLevelByLevelMovingTheNetworkBetweenThem(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp.resolve("data"), 128, 48, 32, 5);
        String pyramid = tmp.resolve("pyramid").toUri().toString();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(text, true, StandardCharsets.UTF_8);
        try (JavaSparkContext jsc = SparkContexts.create("multilevel test", "local[2]")) {
            DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), pyramid, 2, 2);
            Settings s = Settings.load(null, List.of("data.pyramid=" + pyramid, "model.widths=[4, 6]", "model.steps=2",
                    "train.batch-size=32", "train.learning-rate=0.1", "multilevel.levels=[2, 1, 0]",
                    "multilevel.epochs=[2, 1, 1]", "multilevel.kernels=galerkin", "log.every-steps=2"));
            Path run = tmp.resolve("run");
            MultilevelTraining.Result r = new MultilevelTraining(s, console).run(jsc, run.toString());
            assertEquals(List.of(2, 1, 0), r.levels().stream().map(MultilevelTraining.Level::level).toList());
            assertEquals(List.of(8, 16, 32), r.levels().stream().map(MultilevelTraining.Level::height).toList());
            assertEquals(32, r.spec().height());
            for (String level : new String[] {"level-2", "level-1", "level-0"}) {
                assertTrue(Files.isRegularFile(run.resolve(level).resolve("model/model.json")), level);
            }
            JsonNode json = Json.MAPPER.readTree(run.resolve("multilevel.json").toFile());
            assertEquals(3, json.get("levels").size());
            assertTrue(json.get("levels").get(0).path("moved").isMissingNode(), "the first level starts from scratch");
            for (int i = 1; i < 3; i++) {
                JsonNode moved = json.get("levels").get(i).get("moved");
                assertTrue(moved.get("test_loss").asDouble() > 0 && Double.isFinite(moved.get("test_loss").asDouble()));
            }
            assertEquals(r.levels().get(2).result().summary().get("test_accuracy").asDouble(),
                    json.get("test_accuracy").asDouble(), 0.0);
            byte[] png = Files.readAllBytes(run.resolve("multilevel.png"));
            assertTrue(png.length > 1000 && png[1] == 'P');
            assertTrue(text.toString(StandardCharsets.UTF_8).contains("level 1 -> 0 (galerkin kernels): test loss"),
                    text.toString(StandardCharsets.UTF_8));
            // the schedule moves θ through NetworkTransfer, one factor of two at a time
            ModelSpec coarse = r.levels().get(0).result().spec();
            double[] twice = MultilevelTraining.move(coarse, r.levels().get(0).result().params(), r.spec(),
                    NetworkTransfer.Kernels.GALERKIN);
            double[] stepwise = NetworkTransfer.transfer(coarse.resized(16, 16).network(),
                    NetworkTransfer.transfer(coarse.network(), r.levels().get(0).result().params(),
                            coarse.resized(16, 16).network(), NetworkTransfer.Kernels.GALERKIN),
                    r.spec().network(), NetworkTransfer.Kernels.GALERKIN);
            assertArrayEquals(stepwise, twice, 0.0);
        }
    }

    @Test
    void aLevelTheNetworkCannotTakeIsRefusedBeforeTraining(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp.resolve("data"), 16, 8, 16, 5);
        String pyramid = tmp.resolve("pyramid").toUri().toString();
        try (JavaSparkContext jsc = SparkContexts.create("multilevel test", "local[1]")) {
            DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), pyramid, 2, 1);
            // three widths pool twice: 4x4 -> 2x2 -> 1x1 leaves no room for a 3x3 stencil
            Settings s = Settings.load(null, List.of("data.pyramid=" + pyramid, "model.widths=[4, 6, 8]",
                    "multilevel.levels=[2, 0]", "multilevel.epochs=[1, 1]"));
            Path run = tmp.resolve("run");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MultilevelTraining(s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                            .run(jsc, run.toString()));
            assertTrue(e.getMessage().startsWith("level 2 (4x4) cannot take the configured network"), e.getMessage());
            assertTrue(!Files.exists(run.resolve("level-2")), "nothing trained");
        }
    }

    @Test
    void refinesInDepthAtEveryChangeWhenAsked(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp.resolve("data"), 64, 32, 16, 5);
        String pyramid = tmp.resolve("pyramid").toUri().toString();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (JavaSparkContext jsc = SparkContexts.create("multilevel test", "local[2]")) {
            DatasetPyramid.build(jsc, "fashion-mnist", data.toString(), pyramid, 1, 2);
            Settings s = Settings.load(null, List.of("data.pyramid=" + pyramid, "model.widths=[4]", "model.steps=2",
                    "model.step-size=0.4", "train.batch-size=32", "multilevel.levels=[1, 0]", "multilevel.epochs=[1, 1]",
                    "multilevel.refine-depth=true"));
            MultilevelTraining.Result r = new MultilevelTraining(s, new PrintStream(text, true, StandardCharsets.UTF_8))
                    .run(jsc, tmp.resolve("run").toString());
            assertEquals(2, r.levels().get(0).result().spec().steps());
            assertEquals(4, r.spec().steps());
            assertEquals(0.2, r.spec().stepSize(), 1e-12);
            assertTrue(text.toString(StandardCharsets.UTF_8).contains("(unchanged kernels, nt 2 -> 4)"),
                    text.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void schedulesAreCheckedWhenLoaded() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Settings.load(null,
                List.of("data.pyramid=/p", "multilevel.levels=[1, 0]", "multilevel.epochs=[3]")));
        assertTrue(count.getMessage().contains("one budget per level"), count.getMessage());
        IllegalArgumentException noPyramid = assertThrows(IllegalArgumentException.class, () -> Settings.load(null,
                List.of("multilevel.levels=[1, 0]", "multilevel.epochs=[3, 1]")));
        assertTrue(noPyramid.getMessage().contains("needs data.pyramid"), noPyramid.getMessage());
        IllegalArgumentException kernels = assertThrows(IllegalArgumentException.class, () -> Settings.load(null,
                List.of("multilevel.kernels=spline")));
        assertTrue(kernels.getMessage().contains("one of galerkin, rediscretisation, unchanged, got 'spline'"), kernels.getMessage());
    }
}
