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
import scala.Tuple2;

/**
 * Variable projection's classifier problem with the features left on the executors (issue 5: "distributed
 * when they are large" — the full head's features are {@code h·w·c} values per example): the sample's
 * features are computed once per θ and cached ({@link DistributedObjective#featureChunks}); each sum the
 * Newton–CG solve asks for — loss and gradient, a Hessian product — is one job over them, with the partial
 * sums combined in partition order. {@link #close} releases the cache.
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

    /** Loss and gradient sums of one partition. */
    private record Partial(LossResult loss, double[] gradient) implements Serializable {
    }

    @Override
    public LossResult lossAndGradient(double[] w, double[] grad) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        final ModelSpec s = spec;
        try {
            jsc.setJobDescription(description + " · classifier loss+gradient");
            List<Tuple2<Integer, Partial>> parts = chunks.mapPartitionsWithIndex((p, it) -> {
                var classifier = s.network().classifier();
                double[] g = new double[bw.value().length];
                LossResult loss = LossResult.ZERO;
                while (it.hasNext()) {
                    Chunk c = it.next();
                    loss = loss.plus(ClassifierData.lossAndGradient(classifier, c.features(), c.labels(), bw.value(), g));
                }
                return List.of(new Tuple2<>(p, new Partial(loss, g))).iterator();
            }, true).collect();
            Partial total = DistributedObjective.combineInOrder(parts, new Partial(LossResult.ZERO, new double[w.length]),
                    (a, b) -> {
                        for (int i = 0; i < a.gradient().length; i++) {
                            a.gradient()[i] += b.gradient()[i];
                        }
                        return new Partial(a.loss().plus(b.loss()), a.gradient());
                    });
            for (int i = 0; i < grad.length; i++) {
                grad[i] += total.gradient()[i];
            }
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
            List<Tuple2<Integer, double[]>> parts = chunks.mapPartitionsWithIndex((p, it) -> {
                var classifier = s.network().classifier();
                double[] o = new double[bv.value().length];
                while (it.hasNext()) {
                    ClassifierData.hessianProduct(classifier, it.next().features(), bw.value(), bv.value(), o);
                }
                return List.of(new Tuple2<>(p, o)).iterator();
            }, true).collect();
            double[] total = DistributedObjective.combineInOrder(parts, new double[v.length], (a, b) -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] += b[i];
                }
                return a;
            });
            for (int i = 0; i < out.length; i++) {
                out[i] += total[i];
            }
        } finally {
            bw.destroy();
            bv.destroy();
        }
    }

    @Override
    public void close() {
        chunks.unpersist(false);
        lineage.forEach(b -> b.destroy(false));
    }
}
