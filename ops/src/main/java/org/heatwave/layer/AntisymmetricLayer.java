package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The antisymmetric right-hand side {@code f(Y) = σ(½(K − Kᵀ − γI) Y + b)} (seed 004, after Haber &amp;
 * Ruthotto 2017; the seed's text has {@code K + Kᵀ}, which is symmetric — see docs/progress/4-seeds.md):
 * a periodic {@code k × k} convolution {@code K} on {@code c} channels, its adjoint {@code Kᵀ} (the
 * point-reflected stencil with channels swapped), a fixed damping {@code γ ≥ 0} and a bias per channel.
 * The linear part {@code ½(K − Kᵀ)} is antisymmetric, so its eigenvalues are imaginary and forward Euler
 * steps of {@code ∂_t Y = f(Y)} neither blow up nor collapse for small {@code h} (seed 004's experiment).
 *
 * <pre>z = ½(K Y − Kᵀ Y) − ½γ Y + b,   f = σ(z)
 *   J_Yᵀ w̄ = ½(Kᵀ − K − γ) (σ'(z) ⊙ w̄),   ∂θ: ½⟨σ'⊙w̄, K Y⟩ − ½⟨K (σ'⊙w̄), Y⟩,   ∂b: Σ σ'⊙w̄</pre>
 *
 * Parameters: the stencil ({@link org.heatwave.conv.Stencil} layout), then {@code b} ({@code c}).
 */
public final class AntisymmetricLayer implements Layer {
    private final Geometry g;
    private final int k;
    private final float gamma;
    private final Activation act;
    private final Convolution conv;

    public AntisymmetricLayer(Geometry g, int k, double gamma, Activation act) {
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("the damping gamma must be >= 0, got " + gamma);
        }
        this.g = g;
        this.k = k;
        this.gamma = (float) gamma;
        this.act = act;
        this.conv = new Convolution(g.c(), g.c(), k, g.h(), g.w());
    }

    @Override
    public String describe() {
        return "antisymmetric conv" + k + "x" + k + " " + g.c() + "ch" + (gamma > 0 ? " gamma=" + gamma : "") + " + "
                + act.name().toLowerCase(java.util.Locale.ROOT);
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
        return new BoundImpl(kernel, bias);
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }

    private final class BoundImpl implements Bound {
        private final PreparedKernel kernel;
        private final float[] bias;

        BoundImpl(PreparedKernel kernel, float[] bias) {
            this.kernel = kernel;
            this.bias = bias;
        }

        @Override
        public Trace forward(FeatureMap y) {
            if (y.h() != g.h() || y.w() != g.w() || y.c() != g.c()) {
                throw new IllegalArgumentException(describe() + " expects input " + g + " but got " + y.dims());
            }
            FeatureMap a = skew(kernel, y);
            Bias.addInPlace(a, bias);
            float[] ad = a.data();
            act.apply(ad, ad, 0, ad.length);
            return new Tr(y, a);
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            FeatureMap zbar = w.zerosLike();
            act.multiplyDerivative(t.output().data(), w.data(), zbar.data());
            // ⟨z̄, ½ K(θ) Y⟩ − ⟨z̄, ½ K(θ)ᵀ Y⟩ = ⟨½ z̄, K(θ) Y⟩ + ⟨−½ Y, K(θ) z̄⟩
            conv.accumulateGradient(zbar.scaled(0.5f), t.input(), grad, off);
            conv.accumulateGradient(t.input().scaled(-0.5f), zbar, grad, off);
            Bias.accumulateGradient(zbar, grad, off + conv.paramCount());
            float[] zd = zbar.data();
            // the adjoint of ½(K − Kᵀ − γI) is ½(Kᵀ − K − γI)
            FeatureMap back = skew(kernel, zbar);
            float[] bd = back.data();
            for (int i = 0; i < bd.length; i++) {
                bd[i] = -bd[i] - gamma * zd[i];
            }
            return back;
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            FeatureMap dz = skew(kernel, dy);
            PreparedKernel dk = conv.prepare(dTheta, off);
            FeatureMap fromTheta = conv.apply(dk, t.input());
            FeatureMap fromThetaT = conv.applyTranspose(dk, t.input());
            float[] d = dz.data();
            float[] a = fromTheta.data();
            float[] b = fromThetaT.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += 0.5f * (a[i] - b[i]);
            }
            Bias.addTangentInPlace(dz, dTheta, off + conv.paramCount());
            act.multiplyDerivative(t.output().data(), d, d);
            return dz;
        }

        /** {@code ½(K − Kᵀ) y − ½γ y}. */
        private FeatureMap skew(PreparedKernel kk, FeatureMap y) {
            FeatureMap out = conv.apply(kk, y);
            float[] o = out.data();
            float[] tr = conv.applyTranspose(kk, y).data();
            float[] yd = y.data();
            for (int i = 0; i < o.length; i++) {
                o[i] = 0.5f * (o[i] - tr[i]) - 0.5f * gamma * yd[i];
            }
            return out;
        }
    }
}
