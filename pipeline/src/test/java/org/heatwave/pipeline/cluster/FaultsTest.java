package org.heatwave.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.ChildJvm;
import org.heatwave.pipeline.RunRecords;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.cli.ExitCodes;
import org.heatwave.pipeline.cli.Main;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on real processes (issue 14): an executor JVM killed with SIGKILL mid-training, the driver JVM killed
 * and the run resumed, and a file system that fails half-way through writing a checkpoint. Each ends with the
 * model an undisturbed run gives, bit for bit.
 */
class FaultsTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = TinyDataset.write(tmp.resolve("data"), 480, 48, 8, 17);
    }

    private static List<String> sets(String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + data, "model.widths=[4,8]", "model.steps=2", "data.shards=4",
                "train.batch-size=32", "train.epochs=8", "train.learning-rate=0.1", "log.every-steps=2",
                "train.checkpoint-every=5", "spark.master=\"local[2]\""));
        o.addAll(List.of(extra));
        return o;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** The parameters of an undisturbed run (local[2]: the partitioning does not matter). */
    private static double[] undisturbed(String name) throws IOException {
        try (JavaSparkContext jsc = SparkContexts.create("undisturbed", "local[2]")) {
            return new Trainer(Settings.load(null, sets()), quiet()).run(jsc, tmp.resolve(name).toString()).params();
        }
    }

    @Test
    @Timeout(240)
    void anExecutorKilledMidTrainingChangesNoBit() throws Exception {
        double[] expected = undisturbed("executor-reference");
        Path run = tmp.resolve("executor-killed");
        try (JavaSparkContext jsc = SparkContexts.create("executor kill", "local-cluster[2,1,1024]")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (jsc.sc().getExecutorMemoryStatus().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Long> pids = jsc.parallelize(IntStream.range(0, 16).boxed().collect(Collectors.toList()), 16)
                    .map(i -> ProcessHandle.current().pid()).distinct().collect();
            assertEquals(2, pids.size(), "two executor JVMs: " + pids);
            assertFalse(pids.contains(ProcessHandle.current().pid()), "executors are JVMs of their own");
            Trainer trainer = new Trainer(Settings.load(null, sets("data.partitions=2", "train.checkpoint-every=0")), quiet());
            CompletableFuture<Trainer.Result> training = CompletableFuture.supplyAsync(() -> {
                try {
                    return trainer.run(jsc, run.toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            waitForMetricsLines(run, 6, training);
            assertFalse(training.isDone(), "the executor is killed mid-training, not after it");
            ProcessHandle victim = ProcessHandle.of(pids.get(0)).orElseThrow();
            assertTrue(victim.destroyForcibly(), "SIGKILL sent");
            victim.onExit().get(30, TimeUnit.SECONDS);
            Trainer.Result r = training.get(180, TimeUnit.SECONDS);
            assertArrayEquals(expected, r.params(), 0, "bit-identical after losing an executor and its cached blocks");
        }
    }

    @Test
    @Timeout(240)
    void theDriverKilledThenResumedChangesNoBit() throws Exception {
        Path whole = tmp.resolve("driver-reference"), run = tmp.resolve("driver-killed");
        assertEquals(ExitCodes.OK, MainQuietly.execute(train(whole)));
        List<String> command = ChildJvm.heatwave(List.of(), train(run));
        File log = tmp.resolve("driver.log").toFile();
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (checkpoints(run) < 1 && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(driver.isAlive(), "the driver is killed mid-training, not after it: " + Files.readString(log.toPath()));
            driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            driver.destroyForcibly();
        }
        assertFalse(Files.exists(run.resolve("_SUCCESS")));
        assertEquals(ExitCodes.OK, MainQuietly.execute("train", "--resume", run.toString()));
        assertArrayEquals(params(whole), params(run), 0, "bit-identical after the driver died and the run resumed");
        assertEquals(RunRecords.withoutTimings(whole), RunRecords.withoutTimings(run), "the same metrics records, timings aside");
    }

    @Test
    void aCheckpointWriteThatFailsHalfWayLeavesTheLastGoodOneUsable() throws Exception {
        double[] expected = undisturbed("write-reference");
        Path run = tmp.resolve("write-failed");
        String uri = "faulty://" + run.toAbsolutePath();
        FaultyFileSystem.CHECKPOINT_WRITES.set(0);
        FaultyFileSystem.failCheckpointWrite = 3;
        try (JavaSparkContext jsc = SparkContexts.create("failing writes", "local[2]")) {
            jsc.hadoopConfiguration().set("fs.faulty.impl", FaultyFileSystem.class.getName());
            jsc.hadoopConfiguration().setBoolean("fs.faulty.impl.disable.cache", true);
            Settings s = Settings.load(null, sets());
            Exception e = assertThrows(Exception.class, () -> new Trainer(s, quiet()).run(jsc, uri));
            assertTrue(e.getMessage().contains("cannot write the checkpoint after step 15 (the previous checkpoint, after step 10,"
                    + " stays usable)") && e.getMessage().contains("no space left"), e.getMessage());
            assertFalse(Files.exists(run.resolve("model")), "nothing half-written is taken for a model");
            assertEquals(2, checkpoints(run), "the checkpoints after steps 5 and 10");
            FaultyFileSystem.failCheckpointWrite = 0;
            Trainer.Result resumed = new Trainer(s, quiet()).resume(jsc, uri);
            assertArrayEquals(expected, resumed.params(), 0);
            assertEquals(10, resumed.summary().get("resumed_after_step").asInt());
        }
    }

    private static String[] train(Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        for (String s : sets()) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    private static double[] params(Path run) throws IOException {
        return ModelIO.load(run.resolve("model").toString(), new org.apache.hadoop.conf.Configuration()).params();
    }

    /** Complete checkpoint files in the run (not the temporary file of a write in progress). */
    private static long checkpoints(Path run) throws IOException {
        Path dir = run.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ckpt")).count();
        }
    }

    private static void waitForMetricsLines(Path run, int lines, CompletableFuture<?> training) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path metrics = run.resolve("metrics.jsonl");
        while (System.nanoTime() < deadline && !training.isDone()) {
            if (Files.exists(metrics) && Files.readAllLines(metrics).size() >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("training did not get to " + lines + " records in time (done: " + training.isDone() + ")");
    }

    /** The command line with its console output swallowed (tests are quiet). */
    static final class MainQuietly {
        static int execute(String... args) {
            PrintStream out = System.out;
            try {
                System.setOut(quiet());
                return executeKeepingOut(args);
            } finally {
                System.setOut(out);
            }
        }

        /** Only the error stream swallowed. */
        static int executeKeepingOut(String... args) {
            PrintStream err = System.err;
            try {
                System.setErr(quiet());
                return Main.execute(args);
            } finally {
                System.setErr(err);
            }
        }
    }
}
