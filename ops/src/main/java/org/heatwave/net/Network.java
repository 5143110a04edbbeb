package org.heatwave.net;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Affine;
import org.heatwave.layer.AveragePool;
import org.heatwave.layer.ConvNormAct;
import org.heatwave.block.TimeStepped;
import org.heatwave.layer.FullClassifier;
import org.heatwave.reg.ImageSmoothness;
import org.heatwave.reg.Regularizer;
import org.heatwave.reg.TimeSmoothness;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.GlobalAveragePool;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.loss.LossResult;
import org.heatwave.loss.SoftmaxCrossEntropy;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.FeatureMap;

/**
 * A classification network: layers ending in scores {@code W Y_N + μ} for {@code classes} classes, with
 * the softmax cross-entropy loss (seeds 002–004: {@code min_θ Σ S(c, W Y_N(θ) + μ) + R(θ)}). All
 * parameters live in one flat float64 vector; {@link #weightDecayMask()} says which take weight decay.
 */
public final class Network {
    /**
     * Images per forward pass when classifying with the inference binding ({@link #scores}, the test evaluation,
     * batch prediction): each image's scores do not depend on it, only the speed does. At 32 the feature maps of a
     * pass stay in the core's caches: the reference network classifies ≈ 12 % more images per second than at 256
     * (bench/InferenceBatch.java; BENCHMARKS.md, issue 18).
     */
    public static final int INFERENCE_BATCH = 32;

    private final Sequential body;
    private final Sequential features;
    private final int classes;

    public Network(Sequential body) {
        Geometry out = body.output();
        if (out.h() != 1 || out.w() != 1) {
            throw new IllegalArgumentException("a classification network must end in 1x1 scores, got " + out);
        }
        if (body.layers().size() < 2) {
            throw new IllegalArgumentException("a classification network needs feature layers before its classifier");
        }
        this.body = body;
        this.features = new Sequential(body.layers().subList(0, body.layers().size() - 1));
        this.classes = out.c();
    }

    /**
     * Every layer but the classifier: {@code Y_N = φ(θ_f; x)}, whose parameters are the first
     * {@link #classifierOffset} entries of θ (variable projection, seeds 002 and 003, splits θ there).
     */
    public Sequential features() {
        return features;
    }

    /** The last layer, the classifier {@code (W, μ)} acting on the features — linear in its parameters. */
    public Layer classifier() {
        return body.layers().get(body.layers().size() - 1);
    }

    /** Where the classifier's parameters start in θ (they are the last ones). */
    public int classifierOffset() {
        return body.offset(body.layers().size() - 1);
    }

    /**
     * The parabolic network of the reference configuration: an opening {@code 3×3} convolution to
     * {@code widths[0]} with instance norm and ReLU; a parabolic block per width; between blocks a
     * {@code 1×1} connector with instance norm and ReLU and {@code 2×2} average pooling; global average
     * pooling; an affine classifier.
     */
    public static Network parabolic(Geometry input, int[] widths, int nt, double h, Activation act, int classes) {
        return parabolic(input, widths, nt, h, act, Activation.RELU, classes);
    }

    /** As {@link #parabolic(Geometry, int[], int, double, Activation, int)} with another activation in the
     * opening layer and the connectors. */
    public static Network parabolic(Geometry input, int[] widths, int nt, double h, Activation act,
                                    Activation connectorAct, int classes) {
        return parabolic(input, widths, nt, h, act, connectorAct, Normalization.INSTANCE, classes);
    }

    /**
     * As {@link #parabolic(Geometry, int[], int, double, Activation, Activation, int)} with {@code norm} in the
     * opening layer and the connectors (the parabolic blocks normalise per instance, as in seed 003).
     */
    public static Network parabolic(Geometry input, int[] widths, int nt, double h, Activation act,
                                    Activation connectorAct, Normalization norm, int classes) {
        return build(input, widths, nt, h, act, connectorAct, norm, Architecture.PARABOLIC, classes);
    }

    /**
     * A network of the given {@link Architecture}: an opening {@code 3×3} convolution to {@code widths[0]}
     * with {@code norm} and {@code connectorAct}; a block per width ({@link Blocks#create}: {@code nt} steps of
     * size {@code h}, activation {@code act}); between blocks a {@code 1×1} connector with {@code norm} and
     * {@code connectorAct} and {@code 2×2} average pooling; the head.
     */
    public static Network build(Geometry input, int[] widths, int nt, double h, Activation act, Activation connectorAct,
                                Normalization norm, Architecture arch, int classes) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("at least one block width is needed");
        }
        List<Layer> layers = new ArrayList<>();
        Layer open = new ConvNormAct(input, widths[0], 3, connectorAct, norm);
        layers.add(open);
        Geometry g = open.output();
        for (int b = 0; b < widths.length; b++) {
            if (b > 0) {
                Layer connector = new ConvNormAct(g, widths[b], 1, connectorAct, norm);
                layers.add(connector);
                Layer pool = new AveragePool(connector.output());
                layers.add(pool);
                g = pool.output();
            }
            layers.add(Blocks.create(arch.block(b, widths.length), g, nt, h, act,
                    Architecture.timeWeights(arch.weightsInTime(), nt), arch.storeStates()));
        }
        if (arch.head().equals("full")) {
            layers.add(new FullClassifier(g, classes));
        } else {
            Layer gap = new GlobalAveragePool(g);
            layers.add(gap);
            layers.add(new Affine(gap.output(), classes));
        }
        return new Network(new Sequential(layers));
    }

    /**
     * This network behind {@code first}, a layer without parameters that keeps the input's geometry (e.g.
     * {@link org.heatwave.layer.ChannelStandardization}): θ keeps its layout, so parameters of either network fit
     * the other.
     */
    public Network behind(Layer first) {
        if (first.paramCount() != 0 || !first.output().equals(input())) {
            throw new IllegalArgumentException("a layer put in front of a network must keep its input " + input()
                    + " and have no parameters, got " + first.describe());
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(first);
        layers.addAll(body.layers());
        return new Network(new Sequential(layers));
    }

    /**
     * The regularisers of the seeds for this network's layers: smoothness in time ({@code kind}, weight
     * {@code timeWeight}, TV smoothing {@code epsilon}) on every block with per-step weights, and
     * {@code ½ λ‖L W‖²} (weight {@code imageWeight}) on the weights of a {@link FullClassifier} viewed as
     * images; a zero weight leaves that regulariser out.
     */
    public List<Regularizer> regularizers(TimeSmoothness.Kind kind, double timeWeight, double epsilon, double imageWeight) {
        List<Regularizer> out = new ArrayList<>();
        List<Layer> layers = body.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int off = body.offset(i);
            if (timeWeight > 0 && l instanceof TimeStepped b && b.perStepWeights() && b.parameterSets() > 1) {
                out.add(new TimeSmoothness(kind, timeWeight, off, b.parameterSets(), b.parametersPerSet(), b.stepSize(),
                        epsilon));
            }
            if (imageWeight > 0 && l instanceof FullClassifier c) {
                Geometry g = c.input();
                out.add(new ImageSmoothness(imageWeight, off, c.output().c() * g.c(), g.h(), g.w()));
            }
        }
        return out;
    }

    public Sequential body() {
        return body;
    }

    public Geometry input() {
        return body.input();
    }

    public int classes() {
        return classes;
    }

    public int paramCount() {
        return body.paramCount();
    }

    /** Initial parameters, a function of the seed alone. */
    public double[] init(long seed) {
        double[] theta = new double[paramCount()];
        body.init(theta, 0, new SplittableRandom(seed));
        return theta;
    }

    /** Projects θ onto every layer's admissible set (after each optimiser step). */
    public void project(double[] theta) {
        body.project(theta, 0);
    }

    /** Which parameters take weight decay (stencils and weights, not scales, shifts or biases). */
    public boolean[] weightDecayMask() {
        boolean[] mask = new boolean[paramCount()];
        body.markWeightDecay(mask, 0);
        return mask;
    }

    /** Binds the parameters for any number of training evaluations (kernel spectra computed once here). */
    public Layer.Bound bind(double[] theta) {
        requireParams(theta);
        return body.bind(theta, 0);
    }

    /**
     * Binds the parameters for inference (test evaluation, prediction): batch normalisation uses the
     * running statistics kept in θ ({@link Layer#bindForInference}).
     */
    public Layer.Bound bindForInference(double[] theta) {
        requireParams(theta);
        return body.bindForInference(theta, 0);
    }

    /** How many batch statistics a training evaluation reports (0 without batch normalisation). */
    public int statisticsCount() {
        return body.statisticsCount();
    }

    /**
     * Folds statistics summed over a training step (every task's {@link #evaluate} {@code statsOrNull}) into
     * the running statistics in θ, with {@code momentum} the weight of the new batch.
     */
    public void absorbStatistics(double[] theta, double[] stats, double momentum) {
        requireParams(theta);
        if (stats.length != statisticsCount()) {
            throw new IllegalArgumentException("network reports " + statisticsCount() + " statistics but got " + stats.length);
        }
        body.absorbStatistics(theta, 0, stats, 0, momentum);
    }

    private void requireParams(double[] theta) {
        if (theta.length != paramCount()) {
            throw new IllegalArgumentException("network has " + paramCount() + " parameters but got " + theta.length);
        }
    }

    /**
     * Summed loss and correct count of the examples {@code images} with labels
     * {@code labels[labelOffset …]}; if {@code gradOrNull} is given, adds the gradient of the summed
     * loss to it.
     */
    public LossResult evaluate(Layer.Bound bound, Batch images, int[] labels, int labelOffset, double[] gradOrNull) {
        return evaluate(bound, images, labels, labelOffset, gradOrNull, null);
    }

    /**
     * As {@link #evaluate(Layer.Bound, Batch, int[], int, double[])}, also adding the forward pass's batch
     * statistics ({@link #statisticsCount} values) to {@code statsOrNull} if given.
     */
    public LossResult evaluate(Layer.Bound bound, Batch images, int[] labels, int labelOffset, double[] gradOrNull,
                               double[] statsOrNull) {
        return evaluate(bound, images, labels, labelOffset, gradOrNull, statsOrNull, 0);
    }

    /**
     * As {@link #evaluate(Layer.Bound, Batch, int[], int, double[], double[])}, the loss against targets smoothed by
     * {@code labelSmoothing} ({@link SoftmaxCrossEntropy}; 0: the plain cross-entropy).
     */
    public LossResult evaluate(Layer.Bound bound, Batch images, int[] labels, int labelOffset, double[] gradOrNull,
                               double[] statsOrNull, double labelSmoothing) {
        requireInput(images);
        FeatureMap x = images.toFeatureMap();
        if (gradOrNull == null && statsOrNull == null) {
            return SoftmaxCrossEntropy.evaluate(bound.infer(x), labels, labelOffset, null, null, labelSmoothing);
        }
        Layer.Trace trace = bound.forward(x);
        if (statsOrNull != null) {
            bound.accumulateStatistics(trace, statsOrNull, 0);
        }
        FeatureMap scores = trace.output();
        FeatureMap dScores = gradOrNull == null ? null : scores.zerosLike();
        LossResult r = SoftmaxCrossEntropy.evaluate(scores, labels, labelOffset, dScores, null, labelSmoothing);
        if (gradOrNull != null) {
            bound.vjp(trace, dScores, gradOrNull, 0);
        }
        return r;
    }

    /**
     * Summed loss and correct count of the examples {@code images} (labels {@code labels[labelOffset …]}), and each
     * example's {@code confusion[true·classes + predicted]} incremented: the held-out evaluation of a classifier.
     */
    public LossResult evaluateConfusion(Layer.Bound bound, Batch images, int[] labels, int labelOffset, long[] confusion) {
        requireInput(images);
        return SoftmaxCrossEntropy.evaluate(bound.infer(images.toFeatureMap()), labels, labelOffset, null, confusion);
    }

    /**
     * Adds the Gauss–Newton product {@code Σᵢ Jᵢᵀ Hᵢ Jᵢ v} over the examples {@code images} to {@code out}
     * (seed 002): {@code J} the Jacobian of the scores in θ (one tangent pass, {@code jvp} with the images
     * fixed), {@code H} the softmax cross-entropy's Hessian in the scores
     * ({@link SoftmaxCrossEntropy#hessianProduct}), {@code Jᵀ} one adjoint pass. Symmetric positive
     * semi-definite in {@code v}. Costs a forward, a tangent and an adjoint pass.
     */
    public void gaussNewtonProduct(Layer.Bound bound, Batch images, double[] v, double[] out) {
        gaussNewtonProduct(bound, forward(bound, images), v, out);
    }

    /**
     * As {@link #gaussNewtonProduct(Layer.Bound, Batch, double[], double[])} on the forward pass {@code trace} of the
     * examples ({@link #forward}) at {@code bound}: a tangent and an adjoint pass. A trace serves any number of
     * products at its binding — what a conjugate-gradient solve keeps over its iterations ({@link KeptTraces}).
     */
    public void gaussNewtonProduct(Layer.Bound bound, Layer.Trace trace, double[] v, double[] out) {
        Geometry in = input();
        FeatureMap dx = new FeatureMap(in.h(), in.w(), trace.output().n(), in.c());
        FeatureMap ds = bound.jvp(trace, v, 0, dx);
        bound.vjp(trace, SoftmaxCrossEntropy.hessianProduct(trace.output(), ds), out, 0);
    }

    /** The forward pass of {@code images} at {@code bound}, with what the derivative passes need ({@link Layer.Trace}). */
    public Layer.Trace forward(Layer.Bound bound, Batch images) {
        requireInput(images);
        return bound.forward(images.toFeatureMap());
    }

    /**
     * The scores {@code W Y_N + μ} of each image: {@code [n][classes]}, row-major, in a new array the caller
     * owns.
     */
    public float[] scores(Layer.Bound bound, Batch images) {
        requireInput(images);
        return bound.infer(images.toFeatureMap()).data();
    }

    /** Predicted class of each image. */
    public int[] predict(Layer.Bound bound, Batch images) {
        float[] d = scores(bound, images);
        int[] out = new int[images.shape().n()];
        for (int i = 0; i < out.length; i++) {
            int arg = 0;
            for (int j = 1; j < classes; j++) {
                if (d[i * classes + j] > d[i * classes + arg]) {
                    arg = j;
                }
            }
            out[i] = arg;
        }
        return out;
    }

    private void requireInput(Batch images) {
        Geometry in = input();
        if (images.shape().c() != in.c() || images.shape().h() != in.h() || images.shape().w() != in.w()) {
            throw new IllegalArgumentException("network expects images of " + in + " but got " + images.shape());
        }
    }

    @Override
    public String toString() {
        return body.describe() + " (" + paramCount() + " parameters)";
    }
}
