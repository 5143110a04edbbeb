package org.heatwave.pipeline.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.loss.LossResult;
import org.heatwave.net.Network;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageBlock;
import org.heatwave.pipeline.io.SameJvmHandoff;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.tensor.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed objective equals a local fold over the same data; the aggregator is a monoid. */
class DistributedObjectiveTest {
    /** Failures injected so far (local mode: tasks run in this JVM). */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void distributedEqualsLocal(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp, 96, 16, 8, 5);
        ModelSpec spec = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", 10);
        Network net = spec.network();
        double[] theta = net.init(3);
        int[] indices = {5, 90, 17, 33, 34, 61, 2, 77, 48, 12};
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2]")) {
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 3, 3, "load")) {
                GradientAggregator dist = new DistributedObjective(jsc, spec).lossAndGradient(ds, theta, indices, "test");
                // the local fold: all examples in one batch, in one process
                DatasetFiles.Content c = files.read(jsc.hadoopConfiguration());
                ImageBlock all = DatasetFiles.block(c, 0, c.count());
                int[] sorted = indices.clone();
                java.util.Arrays.sort(sorted);
                double[] grad = new double[net.paramCount()];
                LossResult local = net.evaluate(net.bind(theta), all.gather(sorted, 0, sorted.length),
                        all.gatherLabels(sorted, 0, sorted.length), 0, grad);
                assertEquals(local.count(), dist.loss().count());
                assertEquals(local.correct(), dist.loss().correct());
                assertEquals(local.loss(), dist.loss().loss(), 1e-6 * Math.abs(local.loss()));
                double maxDiff = 0, maxVal = 0;
                for (int i = 0; i < grad.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(grad[i] - dist.gradient()[i]));
                    maxVal = Math.max(maxVal, Math.abs(grad[i]));
                }
                assertTrue(maxDiff <= 1e-5 * maxVal, "gradients differ by " + maxDiff + " of " + maxVal);

                LossResult eval = new DistributedObjective(jsc, spec).evaluate(ds, theta, "eval");
                Batch everything = all.slice(0, all.count());
                LossResult localEval = net.evaluate(net.bind(theta), everything, all.labels(), 0, null);
                assertEquals(localEval.loss(), eval.loss(), 1e-6 * Math.abs(localEval.loss()));
                assertEquals(96, eval.count());

                // the confusion matrix: the network's own predictions, counted per true and predicted class
                DistributedObjective.Confusion confusion = new DistributedObjective(jsc, spec).confusion(ds, theta, 10,
                        "confusion");
                int[] predicted = net.predict(net.bindForInference(theta), everything);
                long[][] expected = new long[10][10];
                for (int i = 0; i < predicted.length; i++) {
                    expected[all.labels()[i]][predicted[i]]++;
                }
                assertTrue(java.util.Arrays.deepEquals(expected, confusion.confusion()),
                        java.util.Arrays.deepToString(confusion.confusion()));
                assertEquals(eval.loss(), confusion.loss().loss(), 0, "the same exact sum as evaluate");
                assertEquals(eval.correct(), confusion.loss().correct());
            }
        }
    }

    /** The most values offered for hand-over while a task of the test below ran. */
    static final java.util.concurrent.atomic.AtomicInteger OFFERED_IN_TASK = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void localModeHandsInputsAndPartialSumsOverByReference(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 7);
        ModelSpec spec = new ModelSpec(8, 8, 1, new int[] {8, 16}, 2, 0.5, "tanh", 10);
        double[] theta = spec.network().init(5);
        int[] indices = {3, 9, 21, 40, 41, 60};
        long gradientBytes = 8L * spec.network().paramCount();
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2]")) {
            java.util.concurrent.atomic.AtomicLong largestResult = new java.util.concurrent.atomic.AtomicLong();
            jsc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                    largestResult.accumulateAndGet(end.taskMetrics().resultSize(), Math::max);
                }
            });
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 2, 2, "load")) {
                int before = SameJvmHandoff.offered();
                jsc.sc().listenerBus().waitUntilEmpty();
                largestResult.set(0);
                DistributedObjective.TaskHook record = p -> OFFERED_IN_TASK.accumulateAndGet(SameJvmHandoff.offered(), Math::max);
                GradientAggregator g = new DistributedObjective(jsc, spec, record).lossAndGradient(ds, theta, indices, "step");
                jsc.sc().listenerBus().waitUntilEmpty();
                assertEquals(indices.length, g.loss().count());
                assertTrue(OFFERED_IN_TASK.get() >= before + 2, "θ and the indices are offered while the tasks run");
                assertTrue(largestResult.get() < gradientBytes / 4, "a task's result is a reference (" + largestResult.get()
                        + " bytes), not its partial gradient (" + gradientBytes + " bytes)");
                new DistributedObjective(jsc, spec).gaussNewtonProduct(ds, theta, indices, theta, org.heatwave.augment.Augmentation.NONE,
                        0, "product", "an operator");
                new DistributedObjective(jsc, spec).loss(ds, theta, indices, "loss", false);
                new DistributedObjective(jsc, spec).evaluate(ds, theta, "eval");
                assertEquals(before, SameJvmHandoff.offered(), "every job withdraws what it offered");
            }
        }
    }

    /**
     * The products of one operator keep each micro-batch's forward pass on the tasks ({@link org.heatwave.net.KeptTraces}):
     * from the second product on every trace is found kept, and the products are the bits of those that recompute it;
     * a job at another point (a line search's loss, variable projection's features) lets the traces go.
     */
    @Test
    void productsOfOneOperatorKeepTheirForwardPasses(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 7);
        ModelSpec spec = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", 10);
        double[] theta = spec.network().init(5);
        int[] indices = {2, 5, 11, 30, 31, 44, 58, 63};
        double[] v = org.heatwave.testkit.Fixtures.normal(theta.length, 1, 7);
        double[] u = org.heatwave.testkit.Fixtures.normal(theta.length, 1, 8);
        org.heatwave.augment.Augmentation aug = new org.heatwave.augment.Augmentation(1, true,
                org.heatwave.conv.Boundary.PERIODIC, 0.1, 3);
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2]")) {
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 2, 2, "load")) {
                DistributedObjective jobs = new DistributedObjective(jsc, spec);
                // the first product of an operator computes every forward pass
                double[] recomputedV = jobs.gaussNewtonProduct(ds, theta, indices, v, aug, 2, "product v", "alone v");
                double[] recomputedU = jobs.gaussNewtonProduct(ds, theta, indices, u, aug, 2, "product u", "alone u");
                double[] keptV = jobs.gaussNewtonProduct(ds, theta, indices, v, aug, 2, "CG 1", "operator");
                org.heatwave.net.KeptTraces kept = org.heatwave.net.KeptTraces.shared("operator");
                assertEquals(0, kept.hits(), kept.toString());
                long chunks = kept.computed();
                assertTrue(chunks >= 2 && kept.bytes() > 0, "every micro-batch's trace kept: " + kept);
                double[] keptU = jobs.gaussNewtonProduct(ds, theta, indices, u, aug, 2, "CG 2", "operator");
                double[] keptV2 = jobs.gaussNewtonProduct(ds, theta, indices, v, aug, 2, "CG 3", "operator");
                assertEquals(2 * chunks, kept.hits(), "the second and third products find every trace kept: " + kept);
                assertEquals(chunks, kept.computed(), kept.toString());
                org.junit.jupiter.api.Assertions.assertArrayEquals(recomputedV, keptV, "the first product");
                org.junit.jupiter.api.Assertions.assertArrayEquals(recomputedU, keptU, "a product on kept traces");
                org.junit.jupiter.api.Assertions.assertArrayEquals(recomputedV, keptV2, "another product on kept traces");

                jobs.loss(ds, theta, indices, "line search", false);
                assertEquals(0, kept.bytes(), "a job at another point lets the traces go");
                jobs.gaussNewtonProduct(ds, theta, indices, v, aug, 2, "next solve", "next");
                org.heatwave.net.KeptTraces next = org.heatwave.net.KeptTraces.shared("next");
                assertTrue(next.bytes() > 0, next.toString());
                jobs.features(ds, theta, indices, "variable projection's features");
                assertEquals(0, next.bytes(), "so does a features job");
                jobs.releaseTasks();
            }
        }
    }

    @Test
    void retriedTasksLeaveTheResultUnchanged(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp, 64, 16, 8, 6);
        ModelSpec spec = new ModelSpec(8, 8, 1, new int[] {4}, 1, 0.5, "tanh", 10);
        double[] theta = spec.network().init(4);
        int[] indices = {1, 8, 20, 33, 47, 63};
        // local[2,3]: two threads, a task may fail up to twice; every first attempt of partition 1 fails
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2,3]")) {
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 3, 3, "load")) {
                GradientAggregator clean = new DistributedObjective(jsc, spec).lossAndGradient(ds, theta, indices, "clean");
                DistributedObjective.TaskHook failFirst = p -> {
                    if (p == 1 && org.apache.spark.TaskContext.get().attemptNumber() == 0) {
                        INJECTED.incrementAndGet();
                        throw new IllegalStateException("injected failure of the first attempt");
                    }
                };
                GradientAggregator retried = new DistributedObjective(jsc, spec, failFirst)
                        .lossAndGradient(ds, theta, indices, "retried");
                assertEquals(1, INJECTED.get(), "one task attempt failed and was retried");
                assertEquals(clean.loss(), retried.loss());
                assertArrayEquals(clean.gradient(), retried.gradient(), 0, "bit-identical after a retry");
            }
        }
    }

    @Test
    void aggregatorMonoidLawsHoldBitForBit() {
        double[] left = agg(1, 2.0).merge(agg(2, -1.0)).merge(agg(3, 0.5)).gradient();
        double[] right = agg(1, 2.0).merge(agg(2, -1.0).merge(agg(3, 0.5))).gradient();
        assertArrayEquals(left, right, 0, "associative");
        assertArrayEquals(agg(1, 2.0).merge(agg(2, -1.0)).gradient(), agg(2, -1.0).merge(agg(1, 2.0)).gradient(), 0,
                "commutative");
        assertArrayEquals(agg(1, 2.0).gradient(), agg(1, 2.0).merge(GradientAggregator.empty()).gradient(), 0, "neutral");
        assertArrayEquals(agg(1, 2.0).gradient(), GradientAggregator.empty().merge(agg(1, 2.0)).gradient(), 0, "neutral");
        GradientAggregator all = agg(1, 2.0).merge(agg(2, -1.0)).merge(agg(3, 0.5));
        assertEquals(6, all.loss().count());
        assertEquals(2.0 - 1.0 + 0.5, all.loss().loss());
        assertTrue(Double.isNaN(GradientAggregator.empty().add(new LossResult(Double.NaN, 0, 1), new double[4], null).gradient()[0]),
                "a non-finite term makes the sums NaN");
        assertThrows(IllegalArgumentException.class, () -> agg(1, 1).merge(GradientAggregator.empty()
                .add(LossResult.ZERO, new double[3], null)), "vectors of different lengths");

        // a single micro-batch travels as its values (half the bytes of exact sums) and sums to the same bits wherever
        // it is merged: after serialisation, into an empty aggregator, or added next to another micro-batch
        GradientAggregator two = agg(1, 2.0);
        two.add(new LossResult(-1.0, 0, 2), agg(2, -1.0).gradient(), null);
        GradientAggregator travelled = roundTrip(agg(1, 2.0));
        assertArrayEquals(agg(1, 2.0).gradient(), travelled.gradient(), 0, "one term, serialised");
        assertArrayEquals(two.gradient(), GradientAggregator.empty().merge(travelled).merge(roundTrip(agg(2, -1.0))).gradient(), 0,
                "two single terms merged = two terms added");
        assertArrayEquals(two.gradient(), roundTrip(two).merge(GradientAggregator.empty()).gradient(), 0, "exact sums, serialised");
        assertTrue(bytes(agg(1, 2.0)) < bytes(two), "a single term is sent as it is");
    }

    private static byte[] serialised(GradientAggregator a) {
        try (java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
             java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
            out.writeObject(a);
            out.flush();
            return b.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int bytes(GradientAggregator a) {
        return serialised(a).length;
    }

    private static GradientAggregator roundTrip(GradientAggregator a) {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(serialised(a)))) {
            return (GradientAggregator) in.readObject();
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GradientAggregator agg(int count, double v) {
        double[] g = new double[4];
        for (int i = 0; i < 4; i++) {
            g[i] = v * (i + 1) / 3.0;
        }
        return GradientAggregator.empty().add(new LossResult(v, 0, count), g, null);
    }
}
