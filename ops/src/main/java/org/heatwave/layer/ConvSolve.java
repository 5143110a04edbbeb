package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.conv.Correlation;
import org.heatwave.conv.KernelSpectrum;
import org.heatwave.conv.SpectralConv;
import org.heatwave.conv.SpectralSolve;
import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.kernels.StencilModel;
import org.heatwave.kernels.StencilModels;
import org.heatwave.tensor.FeatureMap;

/**
 * A solve with a periodic convolution as a layer (seed 001: FFTs make {@code K(θ)⁻¹Y} cheap; seed 003:
 * the implicit half of an IMEX step), per frequency by {@link SpectralSolve}:
 *
 * <ul>
 *   <li>{@link Kind#INVERSE}: {@code X = K⁻¹ Y} ({@code c × c} stencil). Derivatives:
 *       {@code dX = K⁻¹(dY − dK X)}; adjoint {@code Ȳ = K⁻ᵀ W}, {@code θ̄ = ∇_θ⟨−Ȳ, K(θ) X⟩}.</li>
 *   <li>{@link Kind#SHIFTED_NORMAL}: {@code X = (I + h KᵀK)⁻¹ Y} ({@code c_out × c} stencil, fixed
 *       {@code h > 0}); {@code A = I + h KᵀK} is symmetric. Derivatives:
 *       {@code dX = A⁻¹(dY − h(dKᵀ K X + Kᵀ dK X))}; adjoint {@code Ȳ = A⁻¹ W},
 *       {@code θ̄ = −h ∇_θ(⟨K X, K(θ) Ȳ⟩ + ⟨K Ȳ, K(θ) X⟩)}.</li>
 * </ul>
 * Parameters: the stencil ({@link org.heatwave.conv.Stencil} layout), or those of a {@link StencilModel} for
 * it (e.g. {@link org.heatwave.kernels.StencilModels#diagonal}: a depthwise {@code L_θ}).
 */
public final class ConvSolve implements Layer {
    /** Which operator is inverted. */
    public enum Kind { INVERSE, SHIFTED_NORMAL }

    private final Geometry geometry;
    private final Kind kind;
    private final int cout;
    private final double h;
    private final StencilModel model;
    private final SpectralConv conv;
    private final Dft2 dft;

    /**
     * @param cout output channels of K (must equal the image channels for {@link Kind#INVERSE})
     * @param h    the step of {@code I + h KᵀK} (ignored for {@link Kind#INVERSE})
     */
    public ConvSolve(Geometry geometry, Kind kind, int cout, int k, double h) {
        this(geometry, kind, StencilModels.full(cout, geometry.c(), k), h);
    }

    /** With the stencil given by {@code model} ({@code model.cin()} must be the image channels). */
    public ConvSolve(Geometry geometry, Kind kind, StencilModel model, double h) {
        int cout = model.cout();
        int k = model.stencilSize();
        if (model.cin() != geometry.c()) {
            throw new IllegalArgumentException(model.describe() + " does not take " + geometry.c() + " input channels");
        }
        if (kind == Kind.INVERSE && cout != geometry.c()) {
            throw new IllegalArgumentException("K⁻¹ needs a square kernel: " + cout + " outputs for " + geometry.c() + " channels");
        }
        if (kind == Kind.SHIFTED_NORMAL && !(h > 0)) {
            throw new IllegalArgumentException("(I + h KᵀK)⁻¹ needs h > 0, got " + h);
        }
        this.geometry = geometry;
        this.kind = kind;
        this.cout = cout;
        this.h = h;
        this.model = model;
        this.conv = new SpectralConv(cout, geometry.c(), k, geometry.h(), geometry.w());
        this.dft = new Dft2(geometry.h(), geometry.w());
    }

    @Override
    public String describe() {
        return (kind == Kind.INVERSE ? "K⁻¹ " : "(I + " + h + " KᵀK)⁻¹ ") + conv.stencilSize() + "x" + conv.stencilSize()
                + " " + cout + "<-" + geometry.c() + " on " + geometry.h() + "x" + geometry.w()
                + (model.paramCount() == conv.paramCount() ? "" : " [" + model.describe() + "]");
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
        return model.paramCount();
    }

    /**
     * For {@link Kind#INVERSE} the identity plus a small random stencil (so every K̂_f is invertible); for
     * {@link Kind#SHIFTED_NORMAL} a He-scaled random stencil.
     */
    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        int k = conv.stencilSize();
        double scale = kind == Kind.INVERSE ? 0.1 : Math.sqrt(2.0);
        boolean full = model.paramCount() == conv.paramCount();
        model.init(theta, off, scale / Math.sqrt((full ? geometry.c() : 1) * k * k), random);
        if (kind == Kind.INVERSE) {
            if (!full) {
                throw new IllegalArgumentException("K⁻¹ is initialised near the identity for full stencils only");
            }
            for (int c = 0; c < cout; c++) {
                theta[off + org.heatwave.conv.Stencil.index(geometry.c(), k, c, c, k / 2, k / 2)] += 1;
            }
        }
    }

    @Override
    public void project(double[] theta, int off) {
        model.project(theta, off);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + model.paramCount(), true);
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        out.add(new KernelSlot(off, model, geometry.h(), geometry.w()));
    }

    @Override
    public Bound bind(double[] theta, int off) {
        double[] params = java.util.Arrays.copyOfRange(theta, off, off + model.paramCount());
        double[] stencil = new double[model.fullCount()];
        model.expand(params, 0, stencil);
        KernelSpectrum kernel = conv.spectrum(stencil, 0);
        SpectralSolve solve = kind == Kind.INVERSE ? SpectralSolve.inverse(kernel) : SpectralSolve.shiftedNormal(kernel, h);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                Spectrum x = new Spectrum(y.h(), y.w(), y.n(), y.c());
                solve.solve(dft.forward(y), x);
                return new Tr(x, dft.inverse(x));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                double[] stencilGrad = new double[model.fullCount()];
                FeatureMap back = vjpStencil(trace, w, stencilGrad);
                model.expandAdjoint(params, 0, stencilGrad, grad, gOff);
                return back;
            }

            private FeatureMap vjpStencil(Trace trace, FeatureMap w, double[] grad) {
                int gOff = 0;
                Spectrum x = ((Tr) trace).spectrum();
                Spectrum ybar = new Spectrum(w.h(), w.w(), w.n(), w.c());
                solve.solveTranspose(dft.forward(w), ybar);
                Correlation p = conv.newCorrelation();
                if (kind == Kind.INVERSE) {
                    conv.accumulateCorrelation(ybar, x, -1f, p);
                } else {
                    conv.accumulateCorrelation(image(kernel, x), ybar, (float) -h, p);
                    conv.accumulateCorrelation(image(kernel, ybar), x, (float) -h, p);
                }
                conv.addStencilGradient(p, grad, gOff);
                return dft.inverse(ybar);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                Spectrum x = ((Tr) trace).spectrum();
                double[] dStencil = new double[model.fullCount()];
                model.expandTangent(params, 0, dTheta, dOff, dStencil);
                KernelSpectrum dk = conv.spectrum(dStencil, 0);
                Spectrum rhs = dft.forward(dy);
                if (kind == Kind.INVERSE) {
                    conv.apply(dk, x, rhs, -1f, true);
                } else {
                    conv.applyTranspose(dk, image(kernel, x), rhs, (float) -h, true);
                    conv.applyTranspose(kernel, image(dk, x), rhs, (float) -h, true);
                }
                Spectrum dx = new Spectrum(dy.h(), dy.w(), dy.n(), dy.c());
                solve.solve(rhs, dx);
                return dft.inverse(dx);
            }
        };
    }

    /** {@code K x} in Fourier space. */
    private Spectrum image(KernelSpectrum kernel, Spectrum x) {
        Spectrum z = new Spectrum(x.h(), x.w(), x.n(), cout);
        conv.apply(kernel, x, z, 1f, false);
        return z;
    }

    private record Tr(Spectrum spectrum, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return spectrum.bytes() + output.bytes();
        }
    }
}
