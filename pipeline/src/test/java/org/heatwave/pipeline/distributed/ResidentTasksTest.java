package org.heatwave.pipeline.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.heatwave.augment.Augmentation;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.train.SparkContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In local mode, consecutive evaluations are rounds of one job's resident tasks, with the bits of one job per
 * evaluation; the tasks leave when idle or released, a failing round fails the evaluation (or is retried as a task),
 * and other jobs still run.
 */
class ResidentTasksTest {
    private static final ModelSpec SPEC = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", 10);
    private static final int[][] STEPS = {{3, 9, 21, 40, 41, 60}, {0, 1, 2, 63}, {7, 30, 31, 32, 50}, {11, 12, 44}};
    /** Failures injected by the tests below (tasks run in this JVM). */
    static final AtomicInteger INJECTED = new AtomicInteger();

    /** The evaluations every test compares: each step's loss and gradient, a Gauss–Newton product and a loss. */
    private static double[][] evaluate(JavaSparkContext jsc, DistributedDataset ds, DistributedObjective objective) {
        double[] theta = SPEC.network().init(5);
        double[][] out = new double[STEPS.length + 2][];
        for (int s = 0; s < STEPS.length; s++) {
            GradientAggregator g = objective.lossAndGradient(ds, theta, STEPS[s], "step " + s);
            out[s] = append(g.gradient(), g.loss().loss());
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= 0.1 * g.gradient()[i]; // the next step's θ depends on this one's bits
            }
        }
        out[STEPS.length] = objective.gaussNewtonProduct(ds, theta, STEPS[0], theta, Augmentation.NONE, 0, "product", "operator");
        out[STEPS.length + 1] = new double[] {objective.loss(ds, theta, STEPS[1], "loss", false).loss()};
        return out;
    }

    private static double[] append(double[] v, double x) {
        double[] out = java.util.Arrays.copyOf(v, v.length + 1);
        out[v.length] = x;
        return out;
    }

    /** Counts the jobs started on {@code jsc}. */
    private static AtomicInteger jobCounter(JavaSparkContext jsc) {
        AtomicInteger jobs = new AtomicInteger();
        jsc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }
        });
        return jobs;
    }

    /** What a test does with a Spark context and the tiny dataset loaded in 2 shards on 2 partitions. */
    @FunctionalInterface
    private interface OnData {
        void run(JavaSparkContext jsc, DistributedDataset ds) throws Exception;
    }

    private static void onData(Path data, String master, OnData body) throws Exception {
        try (JavaSparkContext jsc = SparkContexts.create("test", master)) {
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 2, 2, "load")) {
                body.run(jsc, ds);
            }
        }
    }

    private static double[][] perJob(Path data) throws Exception {
        // local[1] with 2 partitions: a partition without a task slot of its own, so one job per evaluation
        double[][][] out = new double[1][][];
        onData(data, "local[1]", (jsc, ds) -> {
            AtomicInteger jobs = jobCounter(jsc);
            out[0] = evaluate(jsc, ds, new DistributedObjective(jsc, SPEC));
            jsc.sc().listenerBus().waitUntilEmpty();
            assertEquals(STEPS.length + 2, jobs.get(), "one job per evaluation");
        });
        return out[0];
    }

    @Test
    void slotsOfALocalMaster() {
        assertEquals(1, ResidentTasks.localSlots("local", 1));
        assertEquals(2, ResidentTasks.localSlots("local[2]", 1));
        assertEquals(2, ResidentTasks.localSlots("local[2,3]", 1));
        assertEquals(1, ResidentTasks.localSlots("local[2]", 2), "spark.task.cpus = 2");
        assertEquals(Runtime.getRuntime().availableProcessors(), ResidentTasks.localSlots("local[*]", 1));
        assertEquals(0, ResidentTasks.localSlots("local-cluster[2,1,1024]", 1));
        assertEquals(0, ResidentTasks.localSlots("spark://host:7077", 1));
    }

    @Test
    void roundsGiveTheBitsOfOneJobPerEvaluationFromOneJob(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 7);
        double[][] expected = perJob(data);
        onData(data, "local[2]", (jsc, ds) -> {
            AtomicInteger jobs = jobCounter(jsc);
            DistributedObjective objective = new DistributedObjective(jsc, SPEC);
            double[][] rounds = evaluate(jsc, ds, objective);
            jsc.sc().listenerBus().waitUntilEmpty();
            assertEquals(1, jobs.get(), "six evaluations in a row are rounds of one job");
            for (int e = 0; e < expected.length; e++) {
                assertArrayEquals(expected[e], rounds[e], 0, "evaluation " + e + " bit for bit");
            }

            // idle past the timeout: the tasks leave, and the next evaluation starts a new job with the same bits
            Thread.sleep(4 * ResidentTasks.IDLE_MILLIS);
            jsc.sc().listenerBus().waitUntilEmpty();
            assertEquals(0, jsc.statusTracker().getActiveJobIds().length, "idle tasks gave their slots back");
            double[][] again = evaluate(jsc, ds, objective);
            jsc.sc().listenerBus().waitUntilEmpty();
            assertEquals(2, jobs.get());
            assertArrayEquals(expected[0], again[0], 0);

            // a job of another shape runs between rounds (the tasks are released first), and rounds go on after it
            assertEquals(64, objective.evaluate(ds, SPEC.network().init(5), "eval").count());
            assertArrayEquals(expected[1], evaluate(jsc, ds, objective)[1], 0);
        });
    }

    @Test
    void aFailingRoundFailsItsEvaluationAndTheNextStartsAfresh(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 8);
        onData(data, "local[2]", (jsc, ds) -> {
            double[] theta = SPEC.network().init(5);
            GradientAggregator clean = new DistributedObjective(jsc, SPEC).lossAndGradient(ds, theta, STEPS[0], "clean");
            DistributedObjective.TaskHook fail = p -> {
                if (p == 1) {
                    throw new IllegalStateException("injected failure in a round");
                }
            };
            Exception e = assertThrows(Exception.class,
                    () -> new DistributedObjective(jsc, SPEC, fail).lossAndGradient(ds, theta, STEPS[0], "failing"));
            assertTrue(String.valueOf(e.getMessage()).contains("partial sum"), e.getMessage());
            GradientAggregator after = new DistributedObjective(jsc, SPEC).lossAndGradient(ds, theta, STEPS[0], "after");
            assertArrayEquals(clean.gradient(), after.gradient(), 0, "the next evaluation starts a new job");
        });
    }

    @Test
    void aRetriedTaskDoesTheRoundItsAttemptDidNotFinish(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 9);
        // local[2,3]: two slots, a task may fail twice; partition 1's first attempt fails in its second round
        onData(data, "local[2,3]", (jsc, ds) -> {
            double[][] clean = evaluate(jsc, ds, new DistributedObjective(jsc, SPEC));
            ResidentTasks.release();
            AtomicInteger rounds = new AtomicInteger();
            DistributedObjective.TaskHook failOnce = p -> {
                if (p == 1 && rounds.incrementAndGet() == 2 && org.apache.spark.TaskContext.get().attemptNumber() == 0) {
                    INJECTED.incrementAndGet();
                    throw new IllegalStateException("injected failure of the first attempt");
                }
            };
            double[][] retried = evaluate(jsc, ds, new DistributedObjective(jsc, SPEC, failOnce));
            assertEquals(1, INJECTED.get(), "one task attempt failed and was retried");
            for (int e = 0; e < clean.length; e++) {
                assertArrayEquals(clean[e], retried[e], 0, "evaluation " + e + " bit-identical after a retry");
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (residentThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, residentThreads(), "no resident job outlives its Spark context");
    }

    private static long residentThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("heatwave-resident-tasks") && t.isAlive()).count();
    }
}
