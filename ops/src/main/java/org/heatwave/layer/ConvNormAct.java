package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * A single layer {@code Y⁺ = σ(N(K Y))} with a periodic {@code k × k} convolution {@code K}, a
 * {@link Normalization} {@code N} (instance, layer or batch) with trainable scale and shift, and
 * activation σ (seed 000's single layer with normalisation). With {@code k = 3} it is the opening layer that lifts the image to the first width;
 * with {@code k = 1} the "connector" between blocks of different width (seed 001).
 *
 * <p>Parameters: the stencil ({@link org.heatwave.conv.Stencil} layout), then γ ({@code c_out}), then β.
 */
public final class ConvNormAct implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final int k;
    private final Activation act;
    private final Convolution conv;
    private final Normalization norm;

    /** With instance normalisation (the reference network's choice). */
    public ConvNormAct(Geometry in, int cout, int k, Activation act) {
        this(in, cout, k, act, Normalization.INSTANCE);
    }

    public ConvNormAct(Geometry in, int cout, int k, Activation act, Normalization norm) {
        this.in = in;
        this.norm = norm;
        this.out = new Geometry(in.h(), in.w(), cout);
        this.k = k;
        this.act = act;
        this.conv = new Convolution(cout, in.c(), k, in.h(), in.w());
    }

    @Override
    public String describe() {
        return "conv" + k + "x" + k + " " + in.c() + "->" + out.c() + " + " + norm.name().toLowerCase() + " norm + " + act.name().toLowerCase()
                + " on " + in.h() + "x" + in.w();
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
        return conv.paramCount() + 2 * out.c();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        double std = Math.sqrt(2.0 / (in.c() * k * k));
        Init.gaussian(theta, off, conv.paramCount(), std, random);
        for (int i = 0; i < out.c(); i++) {
            theta[off + conv.paramCount() + i] = 1;
            theta[off + conv.paramCount() + out.c() + i] = 0;
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + conv.paramCount(), true);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        PreparedKernel kernel = conv.prepare(theta, off);
        float[] gamma = Floats.of(theta, off + conv.paramCount(), out.c());
        float[] beta = Floats.of(theta, off + conv.paramCount() + out.c(), out.c());
        return new BoundImpl(kernel, gamma, beta);
    }

    private record Tr(FeatureMap input, Normalization.Cache norm, FeatureMap output) implements Trace {
    }

    private final class BoundImpl implements Bound {
        private final PreparedKernel kernel;
        private final float[] gamma;
        private final float[] beta;

        BoundImpl(PreparedKernel kernel, float[] gamma, float[] beta) {
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
            act.apply(a.data(), a.data(), 0, a.data().length);
            return new Tr(y, cache, a);
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            FeatureMap abar = w.zerosLike();
            act.multiplyDerivative(t.output().data(), w.data(), abar.data());
            int gOff = off + conv.paramCount();
            FeatureMap zbar = norm.vjp(t.norm(), gamma, abar, grad, gOff, gOff + out.c());
            conv.accumulateGradient(zbar, t.input(), grad, off);
            return conv.applyTranspose(kernel, zbar);
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            FeatureMap dz = conv.apply(kernel, dy);
            FeatureMap dzTheta = conv.apply(conv.prepare(dTheta, off), t.input());
            Floats.addInPlace(dz.data(), dzTheta.data());
            int gOff = off + conv.paramCount();
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
