package org.heatwave.conv;

import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.tensor.FeatureMap;

/**
 * A multichannel {@code k × k} convolution between spatial feature maps, with a boundary condition and a
 * stride (seed 001): {@code Z = S K(θ) Y}, where {@code K} reads beyond the edge as the {@link Boundary}
 * says and {@code S} keeps every {@code stride}-th pixel ({@code ⌈h/s⌉ × ⌈w/s⌉} outputs, "same" padding).
 *
 * <p>Every case runs as a periodic convolution on a working domain: the image itself for
 * {@link Boundary#PERIODIC}, the image padded with {@code r = (k−1)/2} zero rows and columns for
 * {@link Boundary#ZERO} (which makes the wrap-around read zeros — exact, not an approximation). Then
 * {@code K = C K_per E} ({@code E} pads, {@code C} crops), {@code Kᵀ = Eᵀ K_perᵀ Cᵀ}, and the θ-gradient of
 * {@code ⟨G, S K X⟩} is the periodic one of {@code (Cᵀ Sᵀ G, E X)}. The periodic kernel runs in Fourier
 * space ({@link Dft2} + {@link SpectralConv}) for {@code k > 1} and as {@link PointwiseConv} for
 * {@code k = 1}. Layers that hold their state in space use this; blocks that stay in Fourier space use
 * {@link SpectralConv} directly.
 */
public final class Convolution {
    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;
    private final Boundary boundary;
    private final int stride;
    /** The periodic working domain. */
    private final int ph;
    private final int pw;
    private final Dft2 dft;
    private final SpectralConv spectral;
    private final PointwiseConv pointwise;

    /** A periodic convolution with stride 1. */
    public Convolution(int cout, int cin, int k, int h, int w) {
        this(cout, cin, k, h, w, Boundary.PERIODIC, 1);
    }

    public Convolution(int cout, int cin, int k, int h, int w, Boundary boundary, int stride) {
        Stencil.requireOdd(k);
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be ≥ 1, got " + stride);
        }
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.h = h;
        this.w = w;
        this.boundary = boundary;
        this.stride = stride;
        int r = (k - 1) / 2;
        this.ph = boundary == Boundary.ZERO ? h + r : h;
        this.pw = boundary == Boundary.ZERO ? w + r : w;
        if (k == 1) {
            dft = null;
            spectral = null;
            pointwise = new PointwiseConv(cout, cin);
        } else {
            dft = new Dft2(ph, pw);
            spectral = new SpectralConv(cout, cin, k, ph, pw);
            pointwise = null;
        }
    }

    public int paramCount() {
        return Stencil.paramCount(cout, cin, k);
    }

    public int stencilSize() {
        return k;
    }

    public Boundary boundary() {
        return boundary;
    }

    public int stride() {
        return stride;
    }

    /** Output height {@code ⌈h/stride⌉}. */
    public int outputH() {
        return (h + stride - 1) / stride;
    }

    /** Output width {@code ⌈w/stride⌉}. */
    public int outputW() {
        return (w + stride - 1) / stride;
    }

    /** Per-update precomputation: the kernel spectrum, or the transposed 1×1 weights. Immutable. */
    public PreparedKernel prepare(double[] theta, int off) {
        return k == 1 ? pointwise.prepare(theta, off) : spectral.spectrum(theta, off);
    }

    /** {@code S K y}. */
    public FeatureMap apply(PreparedKernel prepared, FeatureMap y) {
        requireDims(y, h, w, cin, "input");
        FeatureMap z;
        if (k == 1) {
            z = pointwise.apply((PointwiseConv.Prepared) prepared, y);
        } else {
            Spectrum zHat = new Spectrum(ph, pw, y.n(), cout);
            spectral.apply((KernelSpectrum) prepared, dft.forward(embed(y)), zHat, 1f, false);
            z = restrict(dft.inverse(zHat));
        }
        return stride == 1 ? z : z.strided(stride);
    }

    /** {@code Kᵀ Sᵀ z}. */
    public FeatureMap applyTranspose(PreparedKernel prepared, FeatureMap z) {
        requireDims(z, outputH(), outputW(), cout, "output cotangent");
        FeatureMap full = stride == 1 ? z : z.unstrided(stride, h, w);
        if (k == 1) {
            return pointwise.applyTranspose((PointwiseConv.Prepared) prepared, full);
        }
        Spectrum yHat = new Spectrum(ph, pw, z.n(), cin);
        spectral.applyTranspose((KernelSpectrum) prepared, dft.forward(embed(full)), yHat, 1f, false);
        return restrict(dft.inverse(yHat));
    }

    /** {@code grad[off …] += ∂⟨g, S K(θ) x⟩/∂θ}. */
    public void accumulateGradient(FeatureMap g, FeatureMap x, double[] grad, int off) {
        requireDims(g, outputH(), outputW(), cout, "output cotangent");
        requireDims(x, h, w, cin, "input");
        FeatureMap full = stride == 1 ? g : g.unstrided(stride, h, w);
        if (k == 1) {
            pointwise.accumulateGradient(full, x, grad, off);
            return;
        }
        Correlation p = spectral.newCorrelation();
        spectral.accumulateCorrelation(dft.forward(embed(full)), dft.forward(embed(x)), 1f, p);
        spectral.addStencilGradient(p, grad, off);
    }

    public String describe() {
        return "conv " + k + "x" + k + " " + cout + "<-" + cin + " on " + h + "x" + w
                + (boundary == Boundary.ZERO ? " zero-bc" : "") + (stride > 1 ? " stride " + stride : "");
    }

    /** The working domain's map: {@code E y}. */
    private FeatureMap embed(FeatureMap y) {
        return ph == h && pw == w ? y : y.padded(ph, pw);
    }

    /** Back from the working domain: {@code C z}. */
    private FeatureMap restrict(FeatureMap z) {
        return ph == h && pw == w ? z : z.cropped(h, w);
    }

    private void requireDims(FeatureMap m, int eh, int ew, int ec, String what) {
        if (m.h() != eh || m.w() != ew || m.c() != ec) {
            throw new IllegalArgumentException(describe() + ": " + what + " must be " + eh + "x" + ew + "x" + ec
                    + " (h x w x channels), got " + m.dims());
        }
    }
}
