package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The symmetric double layer {@code S(Y) = Kᵀ σ(N(K Y) + b)} with one periodic {@code k × k} convolution
 * {@code K} on {@code c} channels used twice (seeds 000 and 003: the right-hand side of the parabolic
 * network {@code ∂_t Y = −S(Y)}, of the second-order network {@code ∂_tt Y = −S(Y)} and of each half of the
 * Hamiltonian network). {@code N} is instance or layer normalisation with trainable scale α and shift b
 * ({@link ConvNormAct}), or none ({@code σ(K Y + b)}, {@link ConvActLayer}) — seed 000's stability theorem
 * is for the latter. For monotone σ, {@code −S} has a symmetric negative semi-definite Jacobian
 * {@code −Kᵀ diag(σ') K} (without normalisation).
 *
 * <pre>S = Kᵀ a,  a = σ(N(K Y) + b):   J_Yᵀ w̄ = J_aᵀ (K w̄),   ∂θ of ⟨w̄, K(θ)ᵀ a⟩ = ∂θ of ⟨a, K(θ) w̄⟩</pre>
 *
 * Parameters: those of the inner layer {@code a(Y)} (the stencil first, then the normalisation's scale and
 * shift, or the bias).
 */
public final class SymmetricLayer implements Layer {
    private final Geometry g;
    private final Layer inner;
    private final Convolution conv;

    /** With {@code norm} null, no normalisation: {@code Kᵀ σ(K Y + b)}. */
    public SymmetricLayer(Geometry g, int k, Activation act, Normalization norm) {
        if (norm == Normalization.BATCH) {
            throw new IllegalArgumentException("the symmetric layer takes instance or layer normalisation, or none");
        }
        this.g = g;
        this.inner = norm == null ? new ConvActLayer(g, k, act, false) : new ConvNormAct(g, g.c(), k, act, norm);
        this.conv = new Convolution(g.c(), g.c(), k, g.h(), g.w());
    }

    @Override
    public String describe() {
        return "Kᵀ " + inner.describe();
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
        return inner.paramCount();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        inner.init(theta, off, random);
        // K appears twice: scale the stencil to keep Kᵀ σ(K ·) of unit gain
        double scale = Math.sqrt(0.5);
        for (int i = 0; i < conv.paramCount(); i++) {
            theta[off + i] *= scale;
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        inner.markWeightDecay(mask, off);
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        inner.kernels(off, out);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        Bound a = inner.bind(theta, off);
        PreparedKernel kernel = conv.prepare(theta, off);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                Trace t = a.forward(y);
                return new Tr(t, conv.applyTranspose(kernel, t.output()));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                Tr t = (Tr) trace;
                conv.accumulateGradient(t.inner().output(), w, grad, gOff);
                return a.vjp(t.inner(), conv.apply(kernel, w), grad, gOff);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                Tr t = (Tr) trace;
                FeatureMap out = conv.applyTranspose(kernel, a.jvp(t.inner(), dTheta, dOff, dy));
                Floats.addInPlace(out.data(), conv.applyTranspose(conv.prepare(dTheta, dOff), t.inner().output()).data());
                return out;
            }
        };
    }

    private record Tr(Trace inner, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return inner.bytes() + output.bytes();
        }
    }
}
