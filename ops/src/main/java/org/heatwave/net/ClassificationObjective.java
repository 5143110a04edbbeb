package org.heatwave.net;

import java.util.List;
import org.heatwave.augment.Augmentation;
import org.heatwave.layer.Layer;
import org.heatwave.linalg.LinearOperator;
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
 *
 * <p>With an {@link Augmentation}, the loss is against smoothed targets, and {@link #on(int[], long)} sees each
 * example transformed by its draw for that data pass; {@link #on(int[])} sees the images as they are.
 */
public final class ClassificationObjective implements SampledObjective {
    private final Network net;
    private final Batch images;
    private final int[] labels;
    private final List<Regularizer> regularizers;
    private final int chunk;
    private final Augmentation augmentation;

    public ClassificationObjective(Network net, Batch images, int[] labels, List<Regularizer> regularizers, int chunk) {
        this(net, images, labels, regularizers, chunk, Augmentation.NONE);
    }

    public ClassificationObjective(Network net, Batch images, int[] labels, List<Regularizer> regularizers, int chunk,
                                   Augmentation augmentation) {
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
        this.augmentation = augmentation;
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
        return on(indices, 0, augmentation.withoutImageTransforms());
    }

    @Override
    public Objective on(int[] indices, long pass) {
        return on(indices, pass, augmentation);
    }

    private Objective on(int[] indices, long pass, Augmentation seen) {
        int m = indices.length;
        double eps = seen.labelSmoothing();
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
                    loss = loss.plus(net.evaluate(bound, gathered(from, to), sampleLabels, from, grad, null, eps));
                }
                return Averaged.evaluation(loss, grad, products(bound), regularizers, x);
            }

            @Override
            public LinearOperator gaussNewton(double[] x) {
                return Averaged.gaussNewton(products(net.bind(x)), m, regularizers, x);
            }

            /**
             * {@code Σᵢ JᵢᵀHᵢJᵢ v} over the sample, chunk by chunk, each chunk's forward pass kept for the next product
             * while the heap allows ({@link KeptTraces}).
             */
            private LinearOperator products(Layer.Bound bound) {
                KeptTraces kept = KeptTraces.withinHeap();
                return (v, out) -> {
                    java.util.Arrays.fill(out, 0);
                    for (int from = 0; from < m; from += chunk) {
                        int start = from, to = Math.min(m, from + chunk);
                        net.gaussNewtonProduct(bound, kept.get(start, () -> net.forward(bound, gathered(start, to))), v, out);
                    }
                };
            }

            @Override
            public double value(double[] x) {
                Layer.Bound bound = net.bind(x);
                LossResult loss = LossResult.ZERO;
                for (int from = 0; from < m; from += chunk) {
                    int to = Math.min(m, from + chunk);
                    loss = loss.plus(net.evaluate(bound, gathered(from, to), sampleLabels, from, null, null, eps));
                }
                return Averaged.value(loss, regularizers, x);
            }

            /** The images {@code indices[from … to)}, transformed for this pass when augmenting. */
            private Batch gathered(int from, int to) {
                Batch b = images.gather(indices, from, to);
                seen.apply(b, indices, from, pass);
                return b;
            }
        };
    }
}
