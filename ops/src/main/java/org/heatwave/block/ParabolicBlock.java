package org.heatwave.block;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.Correlation;
import org.heatwave.conv.KernelSpectrum;
import org.heatwave.conv.SpectralConv;
import org.heatwave.conv.Stencil;
import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.kernels.StencilModels;
import org.heatwave.layer.Bias;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Init;
import org.heatwave.layer.KernelSlot;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The parabolic block (seed 000 "Parabolic CNN", seed 003): {@code nt} forward-Euler steps of
 * {@code ∂_t Y = −K(t)ᵀ σ(N(K(t) Y) + b(t))},
 *
 * <pre>Y_{j+1} = Y_j − h K_jᵀ σ(α_j N(K_j Y_j) + β_j),   j = 0 … nt−1</pre>
 *
 * with a periodic {@code 3 × 3} (or {@code k × k}) {@code c × c} convolution {@code K_j}, instance
 * normalisation {@code N} with trainable scale α and shift β, and a monotone σ, which makes the forward
 * propagation stable (the block never amplifies differences of its inputs for small {@code h}).
 *
 * <p>The state stays in Fourier space across steps (DESIGN.md §6): {@code Ŷ_{j+1} = Ŷ_j − h K̂_jᴴ Ŝ_j},
 * so each step costs one inverse transform (to normalise and activate in space) and one forward
 * transform. The adjoint pass keeps its cotangent in Fourier space the same way:
 * {@code S̄ = −h K Ȳ_{j+1}}, {@code Z̄ = Nᵀ(σ' ⊙ S̄)}, {@code Ȳ_j = Ȳ_{j+1} + K_jᵀ Z̄}, with the stencil
 * gradient {@code corr(Z̄, Y_j) − h·corr(S_j, Ȳ_{j+1})}.
 *
 * <p>Without normalisation ({@code normalize = false}) the step is seed 000's plain
 * {@code Y_{j+1} = Y_j − h K_jᵀ σ(K_j Y_j + b_j)}, for which the stability theorem holds exactly:
 * {@code ‖Y(T) − Y_ε(T)‖ ≤ ‖Y(0) − Y_ε(0)‖} for monotone σ and small {@code h}.
 *
 * <p>Parameters, per step: the stencil ({@link Stencil} layout), then α and β ({@code c} each) with
 * normalisation, or the bias {@code b} ({@code c}) without.
 */
public final class ParabolicBlock implements TimeStepped, Refinable {
    private final Geometry geometry;
    private final int k;
    private final int nt;
    private final float h;
    private final Activation act;
    private final SpectralConv conv;
    private final Dft2 dft;
    private final boolean normalize;
    private final int stepParams;

    /** A parabolic block with instance normalisation (the reference configuration). */
    public ParabolicBlock(Geometry geometry, int k, int nt, double h, Activation act) {
        this(geometry, k, nt, h, act, true);
    }

    /**
     * @param geometry channels and image size (unchanged by the block)
     * @param k        stencil size (odd)
     * @param nt       number of time steps
     * @param h        step size
     * @param act      activation σ (monotone)
     * @param normalize whether to normalise {@code K Y} (instance norm with scale and shift) or only add a bias
     */
    public ParabolicBlock(Geometry geometry, int k, int nt, double h, Activation act, boolean normalize) {
        if (nt < 1) {
            throw new IllegalArgumentException("a parabolic block needs at least one step, got nt=" + nt);
        }
        if (!(h > 0)) {
            throw new IllegalArgumentException("step size must be positive, got h=" + h);
        }
        this.geometry = geometry;
        this.k = k;
        this.nt = nt;
        this.h = (float) h;
        this.act = act;
        int c = geometry.c();
        this.conv = new SpectralConv(c, c, k, geometry.h(), geometry.w());
        this.dft = new Dft2(geometry.h(), geometry.w());
        this.normalize = normalize;
        this.stepParams = conv.paramCount() + (normalize ? 2 * c : c);
    }

    @Override
    public String describe() {
        return "parabolic " + geometry.c() + "ch " + geometry.h() + "x" + geometry.w() + " k=" + k + " nt=" + nt
                + " h=" + h + " " + act.name().toLowerCase() + (normalize ? "" : " (no norm)");
    }

    @Override
    public double stepSize() {
        return h;
    }

    @Override
    public int parameterSets() {
        return nt;
    }

    @Override
    public int parametersPerSet() {
        return stepParams;
    }

    @Override
    public boolean perStepWeights() {
        return true;
    }

    @Override
    public Geometry input() {
        return geometry;
    }

    @Override
    public Geometry output() {
        return geometry;
    }

    @Override
    public int paramCount() {
        return nt * stepParams;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        int c = geometry.c();
        double std = 1.0 / Math.sqrt(c * k * k);
        for (int j = 0; j < nt; j++) {
            int base = off + j * stepParams;
            Init.gaussian(theta, base, conv.paramCount(), std, random);
            for (int i = 0; i < c; i++) {
                theta[base + conv.paramCount() + i] = normalize ? 1 : 0;
                if (normalize) {
                    theta[base + conv.paramCount() + c + i] = 0;
                }
            }
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        for (int j = 0; j < nt; j++) {
            int base = off + j * stepParams;
            java.util.Arrays.fill(mask, base, base + conv.paramCount(), true);
        }
        // scales, shifts and biases take no weight decay
    }

    /**
     * Refinement in depth (seed 002): the same block on {@code 2nt} steps of {@code h/2}, every step's kernel,
     * scale, shift and bias interpolated in time ({@link TimeWeights#refineSets}; {@link #refineParameters}).
     */
    @Override
    public ParabolicBlock refined() {
        return new ParabolicBlock(geometry, k, 2 * nt, h / 2.0, act, normalize);
    }

    /** This block's parameters {@code theta[off …]} as {@link #refined()}'s. */
    @Override
    public double[] refineParameters(double[] theta, int off) {
        TimeWeights time = TimeWeights.perStep(nt);
        double[] out = new double[time.refined().sets() * stepParams];
        time.refineSets(theta, off, stepParams, out, 0);
        return out;
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        for (int j = 0; j < nt; j++) {
            out.add(new KernelSlot(off + j * stepParams, StencilModels.full(geometry.c(), geometry.c(), k),
                    geometry.h(), geometry.w()));
        }
    }

    @Override
    public Bound bind(double[] theta, int off) {
        int c = geometry.c();
        KernelSpectrum[] kernels = new KernelSpectrum[nt];
        float[][] gammas = new float[nt][];
        float[][] betas = new float[nt][];
        for (int j = 0; j < nt; j++) {
            int base = off + j * stepParams;
            kernels[j] = conv.spectrum(theta, base);
            if (normalize) {
                gammas[j] = Floats.of(theta, base + conv.paramCount(), c);
                betas[j] = Floats.of(theta, base + conv.paramCount() + c, c);
            } else {
                betas[j] = Floats.of(theta, base + conv.paramCount(), c);
            }
        }
        return new BoundBlock(kernels, gammas, betas);
    }

    /** What one forward pass keeps: per step the state's spectrum, the normalisation and activation. */
    private record Tr(Spectrum[] states, Normalization.Cache[] norms, FeatureMap[] activations,
                      Spectrum[] activationSpectra, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            long sum = output.bytes();
            for (int j = 0; j < states.length; j++) {
                sum += states[j].bytes() + (norms[j] == null ? 0 : norms[j].bytes()) + activations[j].bytes()
                        + activationSpectra[j].bytes();
            }
            return sum;
        }
    }

    private final class BoundBlock implements Bound {
        private final KernelSpectrum[] kernels;
        private final float[][] gammas;
        private final float[][] betas;

        BoundBlock(KernelSpectrum[] kernels, float[][] gammas, float[][] betas) {
            this.kernels = kernels;
            this.gammas = gammas;
            this.betas = betas;
        }

        @Override
        public Trace forward(FeatureMap y0) {
            requireInput(y0);
            int n = y0.n(), c = geometry.c();
            Spectrum[] states = new Spectrum[nt];
            Normalization.Cache[] norms = new Normalization.Cache[nt];
            FeatureMap[] acts = new FeatureMap[nt];
            Spectrum[] actSpectra = new Spectrum[nt];
            Spectrum y = dft.forward(y0);
            Spectrum zHat = new Spectrum(geometry.h(), geometry.w(), n, c);
            FeatureMap z = y0.zerosLike();
            for (int j = 0; j < nt; j++) {
                states[j] = y;
                conv.apply(kernels[j], y, zHat, 1f, false);
                dft.inverse(zHat, z);
                FeatureMap s;
                if (normalize) {
                    s = z.zerosLike();
                    norms[j] = Normalization.INSTANCE.forward(z, gammas[j], betas[j], s);
                } else {
                    s = z.copy();
                    Bias.addInPlace(s, betas[j]);
                }
                act.apply(s.data(), s.data(), 0, s.data().length);
                acts[j] = s;
                actSpectra[j] = dft.forward(s);
                Spectrum next = y.copy();
                conv.applyTranspose(kernels[j], actSpectra[j], next, -h, true);
                y = next;
            }
            return new Tr(states, norms, acts, actSpectra, dft.inverse(y));
        }

        /**
         * {@link #forward} without its trace: the state's spectrum updated in place and one buffer each for
         * {@code K Y}, {@code σ(N(K Y))} and its spectrum, reused by every step — the same operations in the same
         * order, so the same bits.
         */
        @Override
        public FeatureMap infer(FeatureMap y0) {
            requireInput(y0);
            int n = y0.n(), c = geometry.c();
            Spectrum y = dft.forward(y0);
            Spectrum zHat = new Spectrum(geometry.h(), geometry.w(), n, c);
            Spectrum sHat = new Spectrum(geometry.h(), geometry.w(), n, c);
            FeatureMap z = y0.zerosLike();
            FeatureMap s = y0.zerosLike();
            for (int j = 0; j < nt; j++) {
                conv.apply(kernels[j], y, zHat, 1f, false);
                dft.inverse(zHat, z);
                if (normalize) {
                    Normalization.INSTANCE.apply(z, gammas[j], betas[j], s);
                } else {
                    System.arraycopy(z.data(), 0, s.data(), 0, z.data().length);
                    Bias.addInPlace(s, betas[j]);
                }
                act.apply(s.data(), s.data(), 0, s.data().length);
                dft.forward(s, sHat);
                conv.applyTranspose(kernels[j], sHat, y, -h, true);
            }
            return dft.inverse(y);
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            int n = w.n(), c = geometry.c();
            Spectrum v = dft.forward(w);
            Spectrum u = new Spectrum(geometry.h(), geometry.w(), n, c);
            FeatureMap sbar = w.zerosLike();
            Correlation corr = conv.newCorrelation();
            for (int j = nt - 1; j >= 0; j--) {
                int base = off + j * stepParams;
                if (j < nt - 1) {
                    corr.clear();
                }
                // the −h Kᵀ S term: its stencil gradient is −h·corr(S, Ȳ_{j+1})
                conv.accumulateCorrelation(t.activationSpectra()[j], v, -h, corr);
                // S̄ = −h K Ȳ_{j+1}; Ā = σ' ⊙ S̄; Z̄ = Nᵀ Ā
                conv.apply(kernels[j], v, u, -h, false);
                dft.inverse(u, sbar);
                act.multiplyDerivative(t.activations()[j].data(), sbar.data(), sbar.data());
                int gOff = base + conv.paramCount();
                FeatureMap zbar;
                if (normalize) {
                    zbar = Normalization.INSTANCE.vjp(t.norms()[j], gammas[j], sbar, grad, gOff, gOff + c);
                } else {
                    Bias.accumulateGradient(sbar, grad, gOff);
                    zbar = sbar.copy();
                }
                Spectrum zbarHat = dft.forward(zbar);
                conv.accumulateCorrelation(zbarHat, t.states()[j], 1f, corr);
                conv.addStencilGradient(corr, grad, base);
                // Ȳ_j = Ȳ_{j+1} + Kᵀ Z̄, in place: Ȳ_{j+1} is not needed any more
                conv.applyTranspose(kernels[j], zbarHat, v, 1f, true);
            }
            return dft.inverse(v);
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy0) {
            Tr t = (Tr) trace;
            int n = dy0.n(), c = geometry.c();
            Spectrum dy = dft.forward(dy0);
            Spectrum dzHat = new Spectrum(geometry.h(), geometry.w(), n, c);
            FeatureMap dz = dy0.zerosLike();
            for (int j = 0; j < nt; j++) {
                int base = off + j * stepParams;
                KernelSpectrum dk = conv.spectrum(dTheta, base);
                conv.apply(kernels[j], dy, dzHat, 1f, false);
                conv.apply(dk, t.states()[j], dzHat, 1f, true);
                dft.inverse(dzHat, dz);
                FeatureMap ds;
                if (normalize) {
                    ds = Normalization.INSTANCE.jvp(t.norms()[j], gammas[j], dz, Floats.of(dTheta, base + conv.paramCount(), c),
                            Floats.of(dTheta, base + conv.paramCount() + c, c));
                } else {
                    ds = dz.copy();
                    Bias.addTangentInPlace(ds, dTheta, base + conv.paramCount());
                }
                act.multiplyDerivative(t.activations()[j].data(), ds.data(), ds.data());
                Spectrum next = dy.copy();
                conv.applyTranspose(kernels[j], dft.forward(ds), next, -h, true);
                conv.applyTranspose(dk, t.activationSpectra()[j], next, -h, true);
                dy = next;
            }
            return dft.inverse(dy);
        }
    }

    private void requireInput(FeatureMap y) {
        if (y.h() != geometry.h() || y.w() != geometry.w() || y.c() != geometry.c()) {
            throw new IllegalArgumentException(describe() + " expects input " + geometry + " but got " + y.dims());
        }
    }
}
