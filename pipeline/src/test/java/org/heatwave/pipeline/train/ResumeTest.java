package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.RunRecords;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.io.OutputExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints and exact resume (issue 14), in one JVM: a run aborted mid-way (every task fails from some
 * job on) and resumed ends with the same parameters, bit for bit, and the same metrics.jsonl records
 * (timings aside) as the run that was never interrupted — for every optimiser, variable projection's
 * classifier and batch normalisation's running statistics included.
 */
class ResumeTest {
    @TempDir
    static Path tmp;
    static Path data;
    /** Tasks started since the last reset; the hook fails every task once it passes {@link #failFrom}. */
    static final AtomicInteger TASKS = new AtomicInteger();
    static volatile int failFrom = Integer.MAX_VALUE;

    @BeforeAll
    static void writeData() throws IOException {
        data = TinyDataset.write(tmp.resolve("data"), 192, 48, 8, 21);
    }

    static Stream<String> optimizers() {
        return Stream.of("sgd", "adam", "lbfgs", "sgn", "sgn-varpro", "sgd-sgn-varpro");
    }

    private static Settings settings(String optimizer) {
        List<String> o = new ArrayList<>(List.of("data.path=" + data, "model.widths=[4,8]", "model.steps=2",
                "model.normalization=batch", "data.shards=4", "train.batch-size=32", "train.learning-rate=0.1",
                "train.optimizer=" + optimizer, "train.checkpoint-every=2", "train.checkpoint-keep=2", "log.every-steps=2",
                "log.eval-every-passes=0.5", "log.train-eval-examples=32"));
        if (optimizer.equals("sgd") || optimizer.equals("adam")) {
            o.add("train.epochs=2");
        } else if (optimizer.equals("sgd-sgn-varpro")) {
            // 6 sgd steps (one pass), then Gauss-Newton iterations of ~1.7 passes: the run is aborted in the second phase
            o.addAll(List.of("train.epochs=5", "train.hybrid-gn-passes=4", "train.sample-size=64", "train.resample-every=2",
                    "train.cg-iterations=3"));
        } else {
            o.addAll(List.of("train.epochs=40", "train.sample-size=64", "train.resample-every=2", "train.cg-iterations=3",
                    "train.max-steps=7"));
        }
        return Settings.load(null, o);
    }

    private static void countAndFail(int partition) {
        if (TASKS.incrementAndGet() > failFrom) {
            throw new IllegalStateException("injected: the driver's work is lost from here on");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void anAbortedRunResumedEndsBitIdenticalWithTheSameRecords(String optimizer) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Settings s = settings(optimizer);
        Path whole = tmp.resolve(optimizer + "-whole"), broken = tmp.resolve(optimizer + "-broken");
        Trainer.Result expected;
        int tasks;
        try (JavaSparkContext jsc = SparkContexts.create("resume test", "local[2]")) {
            TASKS.set(0);
            failFrom = Integer.MAX_VALUE;
            expected = new Trainer(s, quiet).withTaskHook(ResumeTest::countAndFail).run(jsc, whole.toString());
            tasks = TASKS.get();
            TASKS.set(0);
            failFrom = tasks * 4 / 5;
            Trainer failing = new Trainer(s, quiet).withTaskHook(ResumeTest::countAndFail);
            Exception aborted = assertThrows(Exception.class, () -> failing.run(jsc, broken.toString()));
            assertTrue(String.valueOf(org.apache.commons.lang3.exception.ExceptionUtils.getRootCause(aborted).getMessage())
                    .contains("injected"), () -> org.apache.commons.lang3.exception.ExceptionUtils.getStackTrace(aborted));
            failFrom = Integer.MAX_VALUE;
            assertFalse(Files.exists(broken.resolve("_SUCCESS")));
            assertFalse(Files.exists(broken.resolve("model")), "no model from an aborted run");
            List<String> checkpoints;
            try (Stream<Path> files = Files.list(broken.resolve("checkpoints"))) {
                checkpoints = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            }
            assertEquals(2, checkpoints.size(), "the last two kept: " + checkpoints);
            // a run directory is never reused for a new run
            assertThrows(OutputExistsException.class, () -> new Trainer(s, quiet).run(jsc, broken.toString()));

            // the newest checkpoint damaged on disk: named, and the one before it used
            Path newest = broken.resolve("checkpoints").resolve(checkpoints.get(1));
            byte[] bytes = Files.readAllBytes(newest);
            bytes[bytes.length / 2] ^= 0x40;
            Files.delete(newest);
            Files.write(newest, bytes);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Trainer.Result resumed = new Trainer(Trainer.settingsOf(broken.toString(), jsc.hadoopConfiguration()),
                    new PrintStream(console, true, StandardCharsets.UTF_8)).resume(jsc, broken.toString());
            String report = console.toString(StandardCharsets.UTF_8);
            assertTrue(report.contains(checkpoints.get(1)) && report.contains("trying the one before")
                    && report.contains(" after step"), report);
            assertArrayEquals(expected.params(), resumed.params(), 0, optimizer + ": bit-identical parameters");
            assertEquals(RunRecords.withoutTimings(whole), RunRecords.withoutTimings(broken), optimizer + ": the same metrics records, timings aside");
            assertTrue(resumed.summary().get("resumed_after_step").asLong() > 0);
            assertEquals(expected.summary().get("test_accuracy"), resumed.summary().get("test_accuracy"));
            assertTrue(Files.exists(broken.resolve("_SUCCESS")));

            // resuming a finished run does nothing and says so
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            Trainer.Result again = new Trainer(s, new PrintStream(said, true, StandardCharsets.UTF_8)).resume(jsc, broken.toString());
            assertArrayEquals(expected.params(), again.params(), 0);
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("finished run"), said.toString(StandardCharsets.UTF_8));
        }
    }
}
