package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The single layer {@code f(Y) = σ(K Y + b)}, or with {@code transposed} {@code σ(Kᵀ Y + b)}, of a periodic
 * {@code k × k} convolution on {@code c} channels (seed 004's Verlet network uses both with one {@code K}
 * and one {@code b}: {@code z⁺ = z − h σ(Kᵀ y + b)}, {@code y⁺ = y + h σ(K z⁺ + b)}).
 *
 * <p>Parameters: the stencil of {@code K} ({@link org.heatwave.conv.Stencil} layout), then {@code b}; a layer
 * and its transposed twin read the same layout, so they can share a parameter slice.
 */
public final class ConvActLayer implements Layer {
    private final Geometry g;
    private final int k;
    private final Activation act;
    private final boolean transposed;
    private final Convolution conv;

    public ConvActLayer(Geometry g, int k, Activation act, boolean transposed) {
        this.g = g;
        this.k = k;
        this.act = act;
        this.transposed = transposed;
        this.conv = new Convolution(g.c(), g.c(), k, g.h(), g.w());
    }

    @Override
    public String describe() {
        return act.name().toLowerCase(java.util.Locale.ROOT) + "(" + (transposed ? "Kᵀ" : "K") + " Y + b) conv" + k
                + "x" + k + " " + g.c() + "ch";
    }

    @Override
    public Geometry input() {
        return g;
    }

    @Override
    public Geometry output() {
        return g;
    }

    @Override
    public int paramCount() {
        return conv.paramCount() + g.c();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        Init.gaussian(theta, off, conv.paramCount(), 1.0 / Math.sqrt(g.c() * k * k), random);
        java.util.Arrays.fill(theta, off + conv.paramCount(), off + paramCount(), 0);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + conv.paramCount(), true);
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        out.add(new KernelSlot(off, org.heatwave.kernels.StencilModels.full(g.c(), g.c(), k), g.h(), g.w()));
    }

    @Override
    public Bound bind(double[] theta, int off) {
        PreparedKernel kernel = conv.prepare(theta, off);
        float[] bias = Floats.of(theta, off + conv.paramCount(), g.c());
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                FeatureMap a = linear(kernel, y);
                Bias.addInPlace(a, bias);
                act.apply(a.data(), a.data(), 0, a.data().length);
                return new Tr(y, a);
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                Tr t = (Tr) trace;
                FeatureMap zbar = w.zerosLike();
                act.multiplyDerivative(t.output().data(), w.data(), zbar.data());
                if (transposed) {
                    // ⟨z̄, K(θ)ᵀ Y⟩ = ⟨Y, K(θ) z̄⟩
                    conv.accumulateGradient(t.input(), zbar, grad, gOff);
                } else {
                    conv.accumulateGradient(zbar, t.input(), grad, gOff);
                }
                Bias.accumulateGradient(zbar, grad, gOff + conv.paramCount());
                return transposed ? conv.apply(kernel, zbar) : conv.applyTranspose(kernel, zbar);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                Tr t = (Tr) trace;
                FeatureMap dz = linear(kernel, dy);
                Floats.addInPlace(dz.data(), linear(conv.prepare(dTheta, dOff), t.input()).data());
                Bias.addTangentInPlace(dz, dTheta, dOff + conv.paramCount());
                act.multiplyDerivative(t.output().data(), dz.data(), dz.data());
                return dz;
            }
        };
    }

    /** {@code K y} or {@code Kᵀ y}. */
    private FeatureMap linear(PreparedKernel kernel, FeatureMap y) {
        return transposed ? conv.applyTranspose(kernel, y) : conv.apply(kernel, y);
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }
}
