package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.heatwave.loss.LossResult;
import org.heatwave.net.ClassifierData;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.tensor.FeatureMap;

/**
 * Variable projection's classifier problem with the features left on the executors (issue 5: "distributed
 * when they are large" — the full head's features are {@code h·w·c} values per example): the sample's
 * features are computed once per θ and cached ({@link DistributedObjective#featureChunks}); each sum the
 * Newton–CG solve asks for — loss and gradient, a Hessian product — is one job over them, each chunk's
 * result summed exactly ({@link GradientAggregator}). {@link #close} releases the cache.
 */
final class DistributedClassifierData implements ClassifierData, AutoCloseable {
    /** A chunk of a sample's features and their labels, cached on an executor. */
    record Chunk(int[] labels, FeatureMap features) implements Serializable {
    }

    private final JavaSparkContext jsc;
    private final ModelSpec spec;
    private final JavaRDD<Chunk> chunks;
    private final int count;
    private final String description;
    private final List<Broadcast<?>> lineage;

    /** @param lineage broadcasts the cached chunks were computed from, destroyed with the cache */
    DistributedClassifierData(JavaSparkContext jsc, ModelSpec spec, JavaRDD<Chunk> chunks, int count, String description,
                              List<Broadcast<?>> lineage) {
        this.jsc = jsc;
        this.spec = spec;
        this.chunks = chunks;
        this.count = count;
        this.description = description;
        this.lineage = lineage;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public LossResult lossAndGradient(double[] w, double[] grad) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        final ModelSpec s = spec;
        try {
            jsc.setJobDescription(description + " · classifier loss+gradient");
            GradientAggregator total = DistributedObjective.treeSum(chunks.mapPartitions(it -> {
                var classifier = s.network().classifier();
                double[] g = new double[bw.value().length];
                GradientAggregator agg = GradientAggregator.empty();
                while (it.hasNext()) {
                    Chunk c = it.next();
                    java.util.Arrays.fill(g, 0);
                    agg.add(ClassifierData.lossAndGradient(classifier, c.features(), c.labels(), bw.value(), g), g, null);
                }
                return List.of(agg).iterator();
            }), chunks.getNumPartitions());
            addInto(total.gradient(), grad);
            return total.loss();
        } finally {
            bw.destroy();
        }
    }

    @Override
    public void hessianProduct(double[] w, double[] v, double[] out) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        Broadcast<double[]> bv = jsc.broadcast(v);
        final ModelSpec s = spec;
        try {
            jsc.setJobDescription(description + " · classifier Hessian product");
            GradientAggregator total = DistributedObjective.treeSum(chunks.mapPartitions(it -> {
                var classifier = s.network().classifier();
                double[] o = new double[bv.value().length];
                GradientAggregator agg = GradientAggregator.empty();
                while (it.hasNext()) {
                    java.util.Arrays.fill(o, 0);
                    ClassifierData.hessianProduct(classifier, it.next().features(), bw.value(), bv.value(), o);
                    agg.add(LossResult.ZERO, o, null);
                }
                return List.of(agg).iterator();
            }), chunks.getNumPartitions());
            addInto(total.gradient(), out);
        } finally {
            bw.destroy();
            bv.destroy();
        }
    }

    /** {@code out += sum}; nothing for an empty sum (no chunks). */
    private static void addInto(double[] sumOrNull, double[] out) {
        if (sumOrNull != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] += sumOrNull[i];
            }
        }
    }

    @Override
    public void close() {
        chunks.unpersist(false);
        lineage.forEach(b -> b.destroy(false));
    }
}
