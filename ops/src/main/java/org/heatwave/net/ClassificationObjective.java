package org.heatwave.net;

import java.util.List;
import org.heatwave.layer.Layer;
import org.heatwave.loss.LossResult;
import org.heatwave.opt.Evaluation;
import org.heatwave.opt.Objective;
import org.heatwave.opt.SampledObjective;
import org.heatwave.reg.Regularizer;
import org.heatwave.tensor.Batch;

/**
 * The training objective of a classification network on examples held in memory (seeds 002, 003):
 * <pre>f(θ) = (1/|S|) Σ_{i∈S} CE(F(θ; xᵢ), yᵢ) + Σ_r R_r(θ)</pre>
 * with value, gradient (one forward and adjoint pass per example), accuracy, and the Gauss–Newton operator
 * {@code (1/|S|) Σ Jᵢᵀ Hᵢ Jᵢ + Σ ∇²R_r} ({@link Network#gaussNewtonProduct}). The local counterpart of the
 * Spark objective: the optimisers' tests and small experiments run on it, and the distributed one must
 * agree with it. Examples go through the network in chunks of {@code chunk}, bounding memory.
 */
public final class ClassificationObjective implements SampledObjective {
    private final Network net;
    private final Batch images;
    private final int[] labels;
    private final List<Regularizer> regularizers;
    private final int chunk;

    public ClassificationObjective(Network net, Batch images, int[] labels, List<Regularizer> regularizers, int chunk) {
        if (labels.length != images.shape().n()) {
            throw new IllegalArgumentException(images.shape().n() + " images but " + labels.length + " labels");
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.net = net;
        this.images = images;
        this.labels = labels;
        this.regularizers = List.copyOf(regularizers);
        this.chunk = chunk;
    }

    @Override
    public int dimension() {
        return net.paramCount();
    }

    @Override
    public int examples() {
        return labels.length;
    }

    @Override
    public void project(double[] x) {
        net.project(x);
    }

    @Override
    public Objective on(int[] indices) {
        int m = indices.length;
        int[] sampleLabels = new int[m];
        for (int k = 0; k < m; k++) {
            sampleLabels[k] = labels[indices[k]];
        }
        return new Objective() {
            @Override
            public int dimension() {
                return net.paramCount();
            }

            @Override
            public Evaluation evaluate(double[] x) {
                Layer.Bound bound = net.bind(x);
                double[] grad = new double[x.length];
                LossResult loss = LossResult.ZERO;
                for (int from = 0; from < m; from += chunk) {
                    int to = Math.min(m, from + chunk);
                    loss = loss.plus(net.evaluate(bound, images.gather(indices, from, to), sampleLabels, from, grad));
                }
                return Averaged.evaluation(loss, grad, (v, out) -> {
                    java.util.Arrays.fill(out, 0);
                    for (int from = 0; from < m; from += chunk) {
                        net.gaussNewtonProduct(bound, images.gather(indices, from, Math.min(m, from + chunk)), v, out);
                    }
                }, regularizers, x);
            }

            @Override
            public double value(double[] x) {
                Layer.Bound bound = net.bind(x);
                LossResult loss = LossResult.ZERO;
                for (int from = 0; from < m; from += chunk) {
                    int to = Math.min(m, from + chunk);
                    loss = loss.plus(net.evaluate(bound, images.gather(indices, from, to), sampleLabels, from, null));
                }
                return Averaged.value(loss, regularizers, x);
            }
        };
    }
}
