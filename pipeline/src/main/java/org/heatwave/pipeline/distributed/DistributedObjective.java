package org.heatwave.pipeline.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.augment.Augmentation;
import org.heatwave.layer.Layer;
import org.heatwave.loss.LossResult;
import org.heatwave.net.KeptTraces;
import org.heatwave.net.Network;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageBlock;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.FeatureMap;
import scala.Tuple2;

/**
 * The training objective evaluated on Spark: one job per evaluation. The driver hands θ to the tasks
 * ({@link JobInput}: a broadcast, or a reference in local mode); each partition passes the requested examples of
 * each of its shards through the network as micro-batches (a shard's requested examples in index order, cut at
 * every {@value #EVAL_CHUNK}) and adds every micro-batch's result to an exact sum ({@link GradientAggregator}); the
 * partial sums are combined as {@link PartitionSums} says (on the driver, by reference in local mode; as a tree on
 * a large cluster). In local mode the optimiser's evaluations are rounds of {@link ResidentTasks} when every partition
 * has a task slot; the other jobs here (evaluation, features, labels) first let those tasks go.
 *
 * <p>Bit-for-bit reproducibility (issue 14): which examples an evaluation uses is given by their global
 * indices, chosen by the caller from the seed alone; the micro-batches are fixed by the indices and the
 * {@link org.heatwave.opt.Shards}, whatever partition holds a shard; and exact sums do not depend on the
 * grouping or order of the partial results. So another partitioning, another number of executors, a
 * retried task or a lost executor give the same bits. Data augmentation keeps this: each example's transform is
 * drawn from the seed, the data pass and its global index ({@link Augmentation}).
 */
public final class DistributedObjective {
    /** Examples per forward pass (the largest micro-batch), bounding executor memory. */
    static final int EVAL_CHUNK = 256;

    private final JavaSparkContext jsc;
    private final ModelSpec spec;
    private final TaskHook hook;
    private StepTiming lastTiming;

    /** Code run at the start of every task of this objective (failure injection in tests, metrics). */
    @FunctionalInterface
    public interface TaskHook extends java.io.Serializable {
        void onTaskStart(int partition);

        TaskHook NONE = p -> { };
    }

    public DistributedObjective(JavaSparkContext jsc, ModelSpec spec) {
        this(jsc, spec, TaskHook.NONE);
    }

    public DistributedObjective(JavaSparkContext jsc, ModelSpec spec, TaskHook hook) {
        this.jsc = jsc;
        this.spec = spec;
        this.hook = hook;
    }

    /**
     * The summed loss and gradient (and batch statistics) over the examples {@code indices} of {@code data} at
     * {@code theta}: each shard's share goes through the network as micro-batches of at most {@value #EVAL_CHUNK}
     * examples, and their results are summed exactly ({@link GradientAggregator}) — the same bits whatever the
     * partitioning.
     */
    public GradientAggregator lossAndGradient(DistributedDataset data, double[] theta, int[] indices, String description) {
        return lossAndGradient(data, theta, indices, Augmentation.NONE, 0, description);
    }

    /**
     * As {@link #lossAndGradient(DistributedDataset, double[], int[], String)}, each example as {@code augmentation}
     * shows it on data pass {@code pass}: transformed images (when it transforms any) and smoothed targets.
     */
    public GradientAggregator lossAndGradient(DistributedDataset data, double[] theta, int[] indices, Augmentation augmentation,
                                              long pass, String description) {
        long start = System.nanoTime();
        try (JobInput<double[]> th = JobInput.of(jsc, theta); JobInput<int[]> idx = JobInput.of(jsc, sorted(indices))) {
            long broadcast = System.nanoTime() - start;
            final ModelSpec s = spec;
            final TaskHook h = hook;
            jsc.setJobDescription(description);
            GradientAggregator total = PartitionSums.sum(data.blocks(), (p, blocks) -> {
                h.onTaskStart(p);
                KeptTraces.releaseShared(); // a new point: no product operator's traces are of use any more
                long t0 = System.nanoTime();
                double[] at = th.value();
                int[] requested = idx.value();
                long fetch = System.nanoTime() - t0;
                Network net = s.network();
                GradientAggregator agg = GradientAggregator.empty();
                Layer.Bound[] bound = {null};
                double[] gradient = new double[net.paramCount()];
                double[] stats = net.statisticsCount() == 0 ? null : new double[net.statisticsCount()];
                long[] sum = {0};
                forEachChunk(blocks, requested, (batch, labels, from) -> {
                    if (bound[0] == null) {
                        bound[0] = net.bind(at);
                    }
                    Arrays.fill(gradient, 0);
                    if (stats != null) {
                        Arrays.fill(stats, 0);
                    }
                    augmentation.apply(batch, requested, from, pass);
                    LossResult r = net.evaluate(bound[0], batch, labels, 0, gradient, stats, augmentation.labelSmoothing());
                    long t1 = System.nanoTime();
                    agg.add(r, gradient, stats);
                    sum[0] += System.nanoTime() - t1;
                });
                long compute = System.nanoTime() - t0 - fetch - sum[0];
                return agg.timed(fetch, compute, sum[0]);
            });
            lastTiming = StepTiming.of((System.nanoTime() - start) / 1e9, broadcast / 1e9, total.taskSeconds());
            return total;
        }
    }

    /**
     * Lets the tasks that stay between evaluations in local mode ({@link ResidentTasks}) go now rather than after their
     * idle time, and the traces kept for Gauss–Newton products in this JVM ({@link KeptTraces}): call when the optimiser
     * is done, so that the next Spark job finds its cores and memory free.
     */
    public void releaseTasks() {
        ResidentTasks.release();
        KeptTraces.releaseShared();
    }

    /** Where the time of the last {@link #lossAndGradient} job went (null before the first). */
    public StepTiming lastTiming() {
        return lastTiming;
    }

    /**
     * The summed loss and correct count over the examples {@code indices} at {@code theta}: forward passes only,
     * with the training binding or (for evaluation) the inference one.
     */
    public LossResult loss(DistributedDataset data, double[] theta, int[] indices, String description, boolean inference) {
        return loss(data, theta, indices, Augmentation.NONE, 0, description, inference);
    }

    /** As {@link #loss(DistributedDataset, double[], int[], String, boolean)}, the examples as {@code augmentation} shows them on pass {@code pass}. */
    public LossResult loss(DistributedDataset data, double[] theta, int[] indices, Augmentation augmentation, long pass,
                           String description, boolean inference) {
        try (JobInput<double[]> th = JobInput.of(jsc, theta); JobInput<int[]> idx = JobInput.of(jsc, sorted(indices))) {
            final ModelSpec s = spec;
            final TaskHook h = hook;
            jsc.setJobDescription(description);
            return PartitionSums.sum(data.blocks(), (p, blocks) -> {
                h.onTaskStart(p);
                KeptTraces.releaseShared(); // a line search's point or an evaluation: the products' traces are done with
                Network net = s.network();
                Layer.Bound bound = inference ? net.bindForInference(th.value()) : net.bind(th.value());
                GradientAggregator agg = GradientAggregator.empty();
                int[] requested = idx.value();
                forEachChunk(blocks, requested, (batch, labels, from) -> {
                    augmentation.apply(batch, requested, from, pass);
                    agg.add(net.evaluate(bound, batch, labels, 0, null, null, augmentation.labelSmoothing()), null, null);
                });
                return agg;
            }).loss();
        }
    }

    /**
     * The summed Gauss–Newton product {@code Σᵢ JᵢᵀHᵢJᵢ v} over the examples {@code indices} at {@code theta}
     * ({@link Network#gaussNewtonProduct}) of the operator {@code operator} (a key its products share): one job, θ and v
     * handed to the tasks ({@link JobInput}), micro-batch products summed exactly; the images as {@code augmentation}
     * shows them on data pass {@code pass}. The tasks keep each micro-batch's forward pass for the operator's next product
     * ({@link KeptTraces#shared}) — the same θ, examples, augmentation and pass at every product of an operator is the
     * caller's promise. A kept trace gives the bits of a recomputed one.
     */
    public double[] gaussNewtonProduct(DistributedDataset data, double[] theta, int[] indices, double[] v, Augmentation augmentation,
                                       long pass, String description, String operator) {
        try (JobInput<double[]> th = JobInput.of(jsc, theta); JobInput<double[]> dir = JobInput.of(jsc, v);
             JobInput<int[]> idx = JobInput.of(jsc, sorted(indices))) {
            final ModelSpec s = spec;
            final TaskHook h = hook;
            jsc.setJobDescription(description);
            GradientAggregator total = PartitionSums.sum(data.blocks(), (p, blocks) -> {
                h.onTaskStart(p);
                Network net = s.network();
                KeptTraces kept = KeptTraces.shared(operator);
                GradientAggregator agg = GradientAggregator.empty();
                double[] out = new double[net.paramCount()];
                Layer.Bound bound = net.bind(th.value());
                int[] requested = idx.value();
                forEachChunk(blocks, requested, (batch, labels, from) -> {
                    Layer.Trace trace = kept.get(from, () -> {
                        augmentation.apply(batch, requested, from, pass);
                        return net.forward(bound, batch);
                    });
                    Arrays.fill(out, 0);
                    net.gaussNewtonProduct(bound, trace, dir.value(), out);
                    agg.add(LossResult.ZERO, out, null);
                });
                return agg;
            });
            return total.gradient() == null ? new double[theta.length] : total.gradient();
        }
    }

    /**
     * The features {@code φ(θ_f; xᵢ)} ({@link Network#features}) of the examples {@code indices}, in ascending
     * index order, collected to the driver — the input of variable projection's classifier solve (for a
     * sample of 10,000 with 64 pooled features, 2.5 MB).
     */
    public FeatureMap features(DistributedDataset data, double[] theta, int[] indices, String description) {
        ResidentTasks.release();
        int[] sorted = sorted(indices);
        try (JobInput<double[]> th = JobInput.of(jsc, theta); JobInput<int[]> idx = JobInput.of(jsc, sorted)) {
            final ModelSpec s = spec;
            final TaskHook h = hook;
            jsc.setJobDescription(description);
            List<Tuple2<Integer, List<Tuple2<Integer, FeatureMap>>>> parts = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                h.onTaskStart(p);
                KeptTraces.releaseShared(); // features at a new point (variable projection): the products are done with
                Network net = s.network();
                Layer.Bound bound = net.features().bind(th.value(), 0);
                List<Tuple2<Integer, FeatureMap>> chunks = new ArrayList<>();
                forEachChunk(blocks, idx.value(), (batch, labels, from) ->
                        chunks.add(new Tuple2<>(from, bound.forward(batch.toFeatureMap()).output())));
                return List.of(new Tuple2<>(p, chunks)).iterator();
            }, true).collect();
            org.heatwave.layer.Geometry g = spec.network().features().output();
            FeatureMap out = new FeatureMap(g.h(), g.w(), sorted.length, g.c());
            int c = g.c(), m = sorted.length;
            for (Tuple2<Integer, List<Tuple2<Integer, FeatureMap>>> part : parts) {
                for (Tuple2<Integer, FeatureMap> chunk : part._2()) {
                    FeatureMap f = chunk._2();
                    for (int px = 0; px < f.pixels(); px++) {
                        System.arraycopy(f.data(), px * f.n() * c, out.data(), (px * m + chunk._1()) * c, f.n() * c);
                    }
                }
            }
            return out;
        }
    }

    /**
     * The features and labels of the examples {@code indices}, left on the executors in chunks and cached (one
     * job to compute them): the classifier problem of variable projection when the features are too large to
     * collect, its cross-entropy against targets smoothed by {@code labelSmoothing}.
     */
    DistributedClassifierData featureChunks(DistributedDataset data, double[] theta, int[] indices, double labelSmoothing,
                                            String description) {
        ResidentTasks.release();
        int[] sorted = sorted(indices);
        JobInput<double[]> th = JobInput.of(jsc, theta);
        JobInput<int[]> idx = JobInput.of(jsc, sorted);
        final ModelSpec s = spec;
        final TaskHook h = hook;
        // the inputs live as long as the cache (a lost partition is recomputed from them): released by close()
        jsc.setJobDescription(description + " · features");
        org.apache.spark.api.java.JavaRDD<DistributedClassifierData.Chunk> chunks = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
            h.onTaskStart(p);
            KeptTraces.releaseShared(); // features at a new point (variable projection): the products are done with
            Network net = s.network();
            Layer.Bound bound = net.features().bind(th.value(), 0);
            List<DistributedClassifierData.Chunk> out = new ArrayList<>();
            forEachChunk(blocks, idx.value(), (batch, labels, from) ->
                    out.add(new DistributedClassifierData.Chunk(labels, bound.forward(batch.toFeatureMap()).output())));
            return out.iterator();
        }, true).persist(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
        chunks.count();
        return new DistributedClassifierData(jsc, spec, chunks, sorted.length, description, List.of(th, idx), labelSmoothing);
    }

    /** The labels of the examples {@code indices}, in ascending index order (one small job). */
    public int[] labels(DistributedDataset data, int[] indices, String description) {
        ResidentTasks.release();
        int[] sorted = sorted(indices);
        try (JobInput<int[]> idx = JobInput.of(jsc, sorted)) {
            jsc.setJobDescription(description);
            List<Tuple2<Integer, int[]>> parts = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                int[] all = idx.value();
                List<Tuple2<Integer, int[]>> out = new ArrayList<>();
                while (blocks.hasNext()) {
                    ImageBlock b = blocks.next();
                    int from = lowerBound(all, b.first()), to = lowerBound(all, b.first() + b.count());
                    out.add(new Tuple2<>(from, b.gatherLabels(all, from, to)));
                }
                return out.iterator();
            }, true).collect();
            int[] labels = new int[sorted.length];
            for (Tuple2<Integer, int[]> part : parts) {
                System.arraycopy(part._2(), 0, labels, part._1(), part._2().length);
            }
            return labels;
        }
    }

    /** A chunk of a partition's share: its images, their labels, and the position of its first in the sorted indices. */
    @FunctionalInterface
    interface ChunkVisitor {
        void visit(Batch images, int[] labels, int from);
    }

    /**
     * Visits the requested examples ({@code sorted}, ascending) held in {@code blocks}, in chunks of at most
     * {@value #EVAL_CHUNK}, in index order.
     */
    static void forEachChunk(java.util.Iterator<ImageBlock> blocks, int[] sorted, ChunkVisitor visit) {
        while (blocks.hasNext()) {
            ImageBlock b = blocks.next();
            int from = lowerBound(sorted, b.first()), to = lowerBound(sorted, b.first() + b.count());
            for (int f = from; f < to; f += EVAL_CHUNK) {
                int t = Math.min(to, f + EVAL_CHUNK);
                visit.visit(b.gather(sorted, f, t), b.gatherLabels(sorted, f, t), f);
            }
        }
    }

    private static int[] sorted(int[] indices) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Summed loss and correct count over all of {@code data} at {@code theta}: forward passes of the
     * inference binding (batch normalisation with its running statistics).
     */
    public LossResult evaluate(DistributedDataset data, double[] theta, String description) {
        return confusion(data, theta, spec.classes(), description).loss();
    }

    /** The evaluation of a classifier on a dataset: summed loss and counts, and {@code confusion[true][predicted]}. */
    public record Confusion(LossResult loss, long[][] confusion) {
    }

    /** A partition's share of {@link #confusion}: exact sums and integer counts, so merging is exact in any order. */
    private record PartialConfusion(GradientAggregator sums, long[] counts) implements java.io.Serializable {
        PartialConfusion merge(PartialConfusion o) {
            long[] c = counts.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += o.counts[i];
            }
            return new PartialConfusion(GradientAggregator.empty().merge(sums).merge(o.sums), c);
        }
    }

    /**
     * As {@link #evaluate}, with the confusion matrix of the {@code classes} classes: one job, forward passes of the
     * inference binding, the partitions' shares combined as a tree (as in {@link PartitionSums}) — counts are integers, the
     * loss an exact sum, so the result depends on the shards only.
     */
    public Confusion confusion(DistributedDataset data, double[] theta, int classes, String description) {
        ResidentTasks.release();
        final ModelSpec s = spec;
        final TaskHook h = hook;
        try (JobInput<double[]> th = JobInput.of(jsc, theta)) {
            jsc.setJobDescription(description);
            PartialConfusion total = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                h.onTaskStart(p);
                Network net = s.network();
                Layer.Bound bound = net.bindForInference(th.value());
                GradientAggregator agg = GradientAggregator.empty();
                long[] counts = new long[classes * classes];
                while (blocks.hasNext()) {
                    ImageBlock b = blocks.next();
                    for (int from = 0; from < b.count(); from += Network.INFERENCE_BATCH) {
                        int to = Math.min(b.count(), from + Network.INFERENCE_BATCH);
                        agg.add(net.evaluateConfusion(bound, b.slice(from, to), b.labels(), from, counts), null, null);
                    }
                }
                return List.of(new PartialConfusion(agg, counts)).iterator();
            }, true).treeAggregate(new PartialConfusion(GradientAggregator.empty(), new long[classes * classes]),
                    PartialConfusion::merge, PartialConfusion::merge, 2, data.partitions() > PartitionSums.DRIVER_FAN_IN);
            long[][] matrix = new long[classes][classes];
            for (int i = 0; i < total.counts().length; i++) {
                matrix[i / classes][i % classes] = total.counts()[i];
            }
            return new Confusion(total.sums().loss(), matrix);
        }
    }

    /** First position in {@code sorted} whose value is ≥ {@code key}. */
    static int lowerBound(int[] sorted, int key) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
