package org.heatwave.pipeline.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.heatwave.layer.Layer;
import org.heatwave.loss.LossResult;
import org.heatwave.net.Network;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageBlock;
import org.heatwave.pipeline.model.ModelSpec;
import scala.Tuple2;

/**
 * The training objective evaluated on Spark: one job per evaluation. The driver broadcasts θ, each
 * partition computes the summed loss and gradient of its examples among the requested ones, and the
 * partial results are combined on the driver <em>in partition order</em>, so the result does not depend
 * on task scheduling or retries (a retried task recomputes the same partial result).
 *
 * <p>Which examples an evaluation uses is given by their global indices, chosen by the caller from the
 * seed alone, never by the partitioning.
 */
public final class DistributedObjective {
    /** Examples per forward pass in evaluation, bounding executor memory. */
    static final int EVAL_CHUNK = 256;

    private final JavaSparkContext jsc;
    private final ModelSpec spec;
    private final TaskHook hook;

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

    /** The summed loss and gradient over the examples {@code indices} of {@code data} at {@code theta}. */
    public GradientAggregator lossAndGradient(DistributedDataset data, double[] theta, int[] indices, String description) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        Broadcast<double[]> th = jsc.broadcast(theta);
        Broadcast<int[]> idx = jsc.broadcast(sorted);
        final ModelSpec s = spec;
        final TaskHook h = hook;
        try {
            jsc.setJobDescription(description);
            List<Tuple2<Integer, GradientAggregator>> parts = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                h.onTaskStart(p);
                Network net = s.network();
                GradientAggregator agg = GradientAggregator.empty();
                Layer.Bound bound = null;
                while (blocks.hasNext()) {
                    ImageBlock b = blocks.next();
                    int[] all = idx.value();
                    int from = lowerBound(all, b.first()), to = lowerBound(all, b.first() + b.count());
                    if (from == to) {
                        continue;
                    }
                    if (bound == null) {
                        bound = net.bind(th.value());
                    }
                    LossResult r = net.evaluate(bound, b.gather(all, from, to), b.gatherLabels(all, from, to), 0,
                            agg.gradientFor(net.paramCount()), agg.statisticsFor(net.statisticsCount()));
                    agg.addLoss(r);
                }
                return List.of(new Tuple2<>(p, agg)).iterator();
            }, true).collect();
            return combineInOrder(parts, GradientAggregator.empty(), GradientAggregator::merge);
        } finally {
            th.destroy();
            idx.destroy();
        }
    }

    /**
     * Summed loss and correct count over all of {@code data} at {@code theta}: forward passes of the
     * inference binding (batch normalisation with its running statistics).
     */
    public LossResult evaluate(DistributedDataset data, double[] theta, String description) {
        Broadcast<double[]> th = jsc.broadcast(theta);
        final ModelSpec s = spec;
        final TaskHook h = hook;
        try {
            jsc.setJobDescription(description);
            List<Tuple2<Integer, LossResult>> parts = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                h.onTaskStart(p);
                Network net = s.network();
                Layer.Bound bound = net.bindForInference(th.value());
                LossResult total = LossResult.ZERO;
                while (blocks.hasNext()) {
                    ImageBlock b = blocks.next();
                    for (int from = 0; from < b.count(); from += EVAL_CHUNK) {
                        int to = Math.min(b.count(), from + EVAL_CHUNK);
                        total = total.plus(net.evaluate(bound, b.slice(from, to), b.labels(), from, null));
                    }
                }
                return List.of(new Tuple2<>(p, total)).iterator();
            }, true).collect();
            return combineInOrder(parts, LossResult.ZERO, LossResult::plus);
        } finally {
            th.destroy();
        }
    }

    /**
     * Folds per-partition results {@code (partition, value)} in partition order, whatever order the tasks
     * finished in: the fixed-order combine that makes results independent of scheduling.
     */
    static <T> T combineInOrder(List<Tuple2<Integer, T>> parts, T zero, java.util.function.BinaryOperator<T> plus) {
        List<Tuple2<Integer, T>> ordered = new ArrayList<>(parts);
        ordered.sort((a, b) -> Integer.compare(a._1(), b._1()));
        T total = zero;
        for (Tuple2<Integer, T> t : ordered) {
            total = plus.apply(total, t._2());
        }
        return total;
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
