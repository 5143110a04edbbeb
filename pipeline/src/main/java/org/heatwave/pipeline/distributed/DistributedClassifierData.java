package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
    private final List<JobInput<?>> lineage;
    private final double labelSmoothing;

    /**
     * @param lineage        inputs the cached chunks were computed from, released with the cache
     * @param labelSmoothing the cross-entropy's smoothed targets ({@link ClassifierData#local(org.heatwave.layer.Layer,
     *                       FeatureMap, int[], double)})
     */
    DistributedClassifierData(JavaSparkContext jsc, ModelSpec spec, JavaRDD<Chunk> chunks, int count, String description,
                              List<JobInput<?>> lineage, double labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
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
        final ModelSpec s = spec;
        final double eps = labelSmoothing;
        try (JobInput<double[]> bw = JobInput.of(jsc, w)) {
            jsc.setJobDescription(description + " · classifier loss+gradient");
            GradientAggregator total = PartitionSums.sum(chunks, (p, it) -> {
                var classifier = s.network().classifier();
                double[] g = new double[bw.value().length];
                GradientAggregator agg = GradientAggregator.empty();
                while (it.hasNext()) {
                    Chunk c = it.next();
                    java.util.Arrays.fill(g, 0);
                    agg.add(ClassifierData.lossAndGradient(classifier, c.features(), c.labels(), eps, bw.value(), g), g, null);
                }
                return agg;
            });
            addInto(total.gradient(), grad);
            return total.loss();
        }
    }

    @Override
    public void hessianProduct(double[] w, double[] v, double[] out) {
        final ModelSpec s = spec;
        try (JobInput<double[]> bw = JobInput.of(jsc, w); JobInput<double[]> bv = JobInput.of(jsc, v)) {
            jsc.setJobDescription(description + " · classifier Hessian product");
            GradientAggregator total = PartitionSums.sum(chunks, (p, it) -> {
                var classifier = s.network().classifier();
                double[] o = new double[bv.value().length];
                GradientAggregator agg = GradientAggregator.empty();
                while (it.hasNext()) {
                    java.util.Arrays.fill(o, 0);
                    ClassifierData.hessianProduct(classifier, it.next().features(), bw.value(), bv.value(), o);
                    agg.add(LossResult.ZERO, o, null);
                }
                return agg;
            });
            addInto(total.gradient(), out);
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
        ResidentTasks.release();
        chunks.unpersist(false);
        lineage.forEach(JobInput::close);
    }
}
