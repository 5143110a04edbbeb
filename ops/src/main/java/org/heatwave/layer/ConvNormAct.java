package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Boundary;
import org.heatwave.kernels.StencilModel;
import org.heatwave.kernels.StencilModels;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * A single layer {@code Y⁺ = σ(N(K Y))} with a periodic {@code k × k} convolution {@code K}, a
 * {@link Normalization} {@code N} (instance, layer or batch) with trainable scale and shift, and
 * activation σ (seed 000's single layer with normalisation). With {@code k = 3} it is the opening layer that lifts the image to the first width;
 * with {@code k = 1} the "connector" between blocks of different width (seed 001).
 *
 * <p>Parameters: the stencil ({@link org.heatwave.conv.Stencil} layout), then γ ({@code c_out}), then β;
 * with {@link Normalization#BATCH} also the running mean and running variance ({@code c_out} each; initially
 * 0 and 1), which training updates from each step's batch statistics ({@link #absorbStatistics}) and
 * inference normalises with ({@link #bindForInference}) — as batch normalisation is used in practice
 * (seed 000, "Normalization"; the running variance is the unbiased one, as in PyTorch).
 */
public final class ConvNormAct implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final int k;
    private final Activation act;
    private final StencilConvolution conv;
    private final Normalization norm;
    private final StencilModel model;

    /** With instance normalisation (the reference network's choice). */
    public ConvNormAct(Geometry in, int cout, int k, Activation act) {
        this(in, cout, k, act, Normalization.INSTANCE);
    }

    public ConvNormAct(Geometry in, int cout, int k, Activation act, Normalization norm) {
        this(in, StencilModels.full(cout, in.c(), k), act, norm);
    }

    /**
     * With the stencil given by a parametric {@code model} (seed 001), e.g. {@link org.heatwave.kernels.LeanModel}
     * for the lean network's depthwise stencils and 1×1 coupling; its parameters replace the stencil's.
     */
    public ConvNormAct(Geometry in, StencilModel model, Activation act, Normalization norm) {
        if (model.cin() != in.c()) {
            throw new IllegalArgumentException(model.describe() + " does not take " + in.c() + " input channels");
        }
        this.in = in;
        this.norm = norm;
        this.out = new Geometry(in.h(), in.w(), model.cout());
        this.k = model.stencilSize();
        this.act = act;
        this.model = model;
        this.conv = StencilConvolution.of(model, in.h(), in.w(), Boundary.PERIODIC, 1);
    }

    /** Parameters of the stencil (the model's). */
    private int stencilCount() {
        return model.paramCount();
    }

    @Override
    public String describe() {
        return "conv" + k + "x" + k + " " + in.c() + "->" + out.c() + (model.isFullStencil() ? "" : " [" + model.describe() + "]") + " + "
                + norm.name().toLowerCase() + " norm + " + act.name().toLowerCase() + " on " + in.h() + "x" + in.w();
    }

    @Override
    public Geometry input() {
        return in;
    }

    @Override
    public Geometry output() {
        return out;
    }

    @Override
    public int paramCount() {
        return stencilCount() + (norm == Normalization.BATCH ? 4 : 2) * out.c();
    }

    /** Offset of the running statistics (mean, then variance) in this layer's parameters, with BATCH. */
    private int runningOffset() {
        return stencilCount() + 2 * out.c();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        double std = Math.sqrt(2.0 / (in.c() * k * k));
        if (model.isFullStencil()) {
            Init.gaussian(theta, off, stencilCount(), std, random);
        } else {
            model.init(theta, off, std, random);
        }
        int c = out.c();
        for (int i = 0; i < c; i++) {
            theta[off + stencilCount() + i] = 1;
            theta[off + stencilCount() + c + i] = 0;
            if (norm == Normalization.BATCH) {
                theta[off + runningOffset() + i] = 0;
                theta[off + runningOffset() + c + i] = 1;
            }
        }
    }

    /** With BATCH: per channel Σz, Σz² over the batch's values, then their count. */
    @Override
    public int statisticsCount() {
        return norm == Normalization.BATCH ? 2 * out.c() + 1 : 0;
    }

    @Override
    public void absorbStatistics(double[] theta, int off, double[] stats, int sOff, double momentum) {
        if (norm != Normalization.BATCH) {
            return;
        }
        int c = out.c();
        double count = stats[sOff + 2 * c];
        if (count < 2) {
            throw new IllegalArgumentException(describe() + ": running statistics need at least 2 values per channel, got "
                    + count);
        }
        double[] mean = new double[c];
        double[] variance = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = stats[sOff + ch] / count;
            variance[ch] = Math.max(0, stats[sOff + c + ch] / count - mean[ch] * mean[ch]) * count / (count - 1);
        }
        Normalization.BatchStatistics updated =
                running(theta, off).update(new Normalization.BatchStatistics(mean, variance), momentum);
        System.arraycopy(updated.mean(), 0, theta, off + runningOffset(), c);
        System.arraycopy(updated.variance(), 0, theta, off + runningOffset() + c, c);
    }

    /** The running statistics kept in {@code theta[off …]} (BATCH only). */
    private Normalization.BatchStatistics running(double[] theta, int off) {
        int r = off + runningOffset();
        int c = out.c();
        return new Normalization.BatchStatistics(java.util.Arrays.copyOfRange(theta, r, r + c),
                java.util.Arrays.copyOfRange(theta, r + c, r + 2 * c));
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + stencilCount(), true);
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        out.add(new KernelSlot(off, model, in.h(), in.w()));
    }

    @Override
    public void project(double[] theta, int off) {
        model.project(theta, off);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        StencilConvolution.Prepared kernel = conv.prepare(theta, off);
        float[] gamma = Floats.of(theta, off + stencilCount(), out.c());
        float[] beta = Floats.of(theta, off + stencilCount() + out.c(), out.c());
        return new BoundImpl(kernel, gamma, beta);
    }

    @Override
    public Bound bindForInference(double[] theta, int off) {
        if (norm != Normalization.BATCH) {
            return bind(theta, off);
        }
        StencilConvolution.Prepared kernel = conv.prepare(theta, off);
        int c = out.c();
        float[] gamma = Floats.of(theta, off + stencilCount(), c);
        float[] beta = Floats.of(theta, off + stencilCount() + c, c);
        Normalization.BatchStatistics running = running(theta, off);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                requireInput(y);
                FeatureMap a = Normalization.withStatistics(conv.apply(kernel, y), gamma, beta, running);
                act.apply(a.data(), a.data(), 0, a.data().length);
                return new Tr(y, null, a, null);
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                throw new UnsupportedOperationException(describe() + ": an inference binding has no derivatives");
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                throw new UnsupportedOperationException(describe() + ": an inference binding has no derivatives");
            }
        };
    }

    /** A forward pass: input, normalisation cache, output, and with BATCH in training the batch's statistics. */
    private record Tr(FeatureMap input, Normalization.Cache norm, FeatureMap output,
                      Normalization.BatchStatistics batch) implements Trace {
        @Override
        public long bytes() {
            return (norm == null ? 0 : norm.bytes()) + output.bytes()
                    + (batch == null ? 0 : 8L * (batch.mean().length + batch.variance().length));
        }
    }

    private final class BoundImpl implements Bound {
        private final StencilConvolution.Prepared kernel;
        private final float[] gamma;
        private final float[] beta;

        BoundImpl(StencilConvolution.Prepared kernel, float[] gamma, float[] beta) {
            this.kernel = kernel;
            this.gamma = gamma;
            this.beta = beta;
        }

        @Override
        public Trace forward(FeatureMap y) {
            requireInput(y);
            FeatureMap z = conv.apply(kernel, y);
            FeatureMap a = z.zerosLike();
            Normalization.Cache cache = norm.forward(z, gamma, beta, a);
            Normalization.BatchStatistics batch = norm == Normalization.BATCH ? Normalization.statistics(z) : null;
            act.apply(a.data(), a.data(), 0, a.data().length);
            return new Tr(y, cache, a, batch);
        }

        /** {@link #forward}'s output without its normalisation cache ({@link Normalization#apply}). */
        @Override
        public FeatureMap infer(FeatureMap y) {
            requireInput(y);
            FeatureMap z = conv.apply(kernel, y);
            FeatureMap a = z.zerosLike();
            norm.apply(z, gamma, beta, a);
            act.apply(a.data(), a.data(), 0, a.data().length);
            return a;
        }

        @Override
        public void accumulateStatistics(Trace trace, double[] stats, int off) {
            Tr t = (Tr) trace;
            if (t.batch() == null) {
                return;
            }
            int c = out.c();
            double count = (double) t.input().n() * out.h() * out.w();
            for (int ch = 0; ch < c; ch++) {
                double mean = t.batch().mean()[ch];
                stats[off + ch] += count * mean;
                stats[off + c + ch] += count * (t.batch().variance()[ch] + mean * mean);
            }
            stats[off + 2 * c] += count;
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            FeatureMap abar = w.zerosLike();
            act.multiplyDerivative(t.output().data(), w.data(), abar.data());
            int gOff = off + stencilCount();
            FeatureMap zbar = norm.vjp(t.norm(), gamma, abar, grad, gOff, gOff + out.c());
            conv.accumulateGradient(kernel, zbar, t.input(), grad, off);
            return conv.applyTranspose(kernel, zbar);
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            FeatureMap dz = conv.apply(kernel, dy);
            Floats.addInPlace(dz.data(), conv.applyTangent(kernel, dTheta, off, t.input()).data());
            int gOff = off + stencilCount();
            FeatureMap da = norm.jvp(t.norm(), gamma, dz,
                    Floats.of(dTheta, gOff, out.c()), Floats.of(dTheta, gOff + out.c(), out.c()));
            act.multiplyDerivative(t.output().data(), da.data(), da.data());
            return da;
        }
    }

    private void requireInput(FeatureMap y) {
        if (y.h() != in.h() || y.w() != in.w() || y.c() != in.c()) {
            throw new IllegalArgumentException(describe() + " expects input " + in + " but got " + y.dims());
        }
    }
}
