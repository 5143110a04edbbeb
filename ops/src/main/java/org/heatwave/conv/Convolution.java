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
 * {@code ⟨G, S K X⟩} is the periodic one of {@code (Cᵀ Sᵀ G, E X)}. That is the {@link Method#FFT} path
 * ({@link Dft2} + {@link SpectralConv}); the {@link Method#DIRECT} path ({@link DirectConvolution}) handles
 * the boundary and the stride itself and computes only the kept pixels. {@code k = 1} runs on the direct path
 * too (its register-blocked products measured 4–10× faster than {@link PointwiseConv}'s per-pixel loop at
 * batch 32, widths 32–128), or as {@link PointwiseConv} on the kept pixels ({@code S K = K S}) if asked. Unless told, a convolution takes the method
 * {@link Method#choose} predicts to be faster for its shape — a fixed function of the shape, so a seed
 * still fixes every result. Layers that hold their state in space use this; blocks that stay in Fourier
 * space use {@link SpectralConv} directly.
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
    private final Method method;
    private final Dft2 dft;
    private final SpectralConv spectral;
    private final DirectConvolution direct;
    private final PointwiseConv pointwise;

    /** How the convolution is computed. */
    public enum Method {
        /** Per-frequency channel mixing between forward and inverse DFTs of the working domain. */
        FFT,
        /** Per-pixel products of the gathered taps with the weights ({@link DirectConvolution}). */
        DIRECT,
        /** {@code k = 1} only: one channel-mixing product per pixel ({@link PointwiseConv}). */
        POINTWISE;

        /** The method {@link ConvolutionCost} predicts to be faster for training this shape. */
        public static Method choose(int cout, int cin, int k, int h, int w, Boundary boundary, int stride) {
            if (k == 1) {
                return DIRECT;
            }
            return ConvolutionCost.directIsFaster(cout, cin, k, h, w, boundary, stride) ? DIRECT : FFT;
        }
    }

    /** A periodic convolution with stride 1. */
    public Convolution(int cout, int cin, int k, int h, int w) {
        this(cout, cin, k, h, w, Boundary.PERIODIC, 1);
    }

    /** A convolution computed by the method {@link Method#choose} picks for its shape. */
    public Convolution(int cout, int cin, int k, int h, int w, Boundary boundary, int stride) {
        this(cout, cin, k, h, w, boundary, stride, Method.choose(cout, cin, k, h, w, boundary, stride));
    }

    /** A convolution computed by {@code method} ({@link Method#POINTWISE} only for {@code k = 1}). */
    public Convolution(int cout, int cin, int k, int h, int w, Boundary boundary, int stride, Method method) {
        Stencil.requireOdd(k);
        if (k != 1 && method == Method.POINTWISE) {
            throw new IllegalArgumentException("a " + k + "x" + k + " convolution cannot run as POINTWISE (only 1x1 can)");
        }
        Stencil.requireStride(stride);
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
        this.method = method;
        this.pointwise = method == Method.POINTWISE ? new PointwiseConv(cout, cin) : null;
        this.direct = method == Method.DIRECT ? new DirectConvolution(cout, cin, k, h, w, boundary, stride) : null;
        this.dft = method == Method.FFT ? new Dft2(ph, pw) : null;
        this.spectral = method == Method.FFT ? new SpectralConv(cout, cin, k, ph, pw) : null;
    }

    public Method method() {
        return method;
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

    /**
     * Per-update precomputation, immutable: the kernel spectrum, the rearranged direct weights, or the
     * transposed 1×1 weights.
     */
    public PreparedKernel prepare(double[] theta, int off) {
        return switch (method) {
            case FFT -> spectral.spectrum(theta, off);
            case DIRECT -> direct.prepare(theta, off);
            case POINTWISE -> pointwise.prepare(theta, off);
        };
    }

    /** {@code S K y}. */
    public FeatureMap apply(PreparedKernel prepared, FeatureMap y) {
        requireDims(y, h, w, cin, "input");
        return switch (method) {
            case DIRECT -> direct.apply((DirectConvolution.Weights) prepared, y);
            case POINTWISE -> pointwise.apply((PointwiseConv.Prepared) prepared, kept(y));
            case FFT -> {
                Spectrum zHat = new Spectrum(ph, pw, y.n(), cout);
                spectral.apply((KernelSpectrum) prepared, dft.forward(embed(y)), zHat, 1f, false);
                yield kept(restrict(dft.inverse(zHat)));
            }
        };
    }

    /** {@code Kᵀ Sᵀ z}. */
    public FeatureMap applyTranspose(PreparedKernel prepared, FeatureMap z) {
        requireDims(z, outputH(), outputW(), cout, "output cotangent");
        return switch (method) {
            case DIRECT -> direct.applyTranspose((DirectConvolution.Weights) prepared, z);
            case POINTWISE -> spread(pointwise.applyTranspose((PointwiseConv.Prepared) prepared, z));
            case FFT -> {
                Spectrum yHat = new Spectrum(ph, pw, z.n(), cin);
                spectral.applyTranspose((KernelSpectrum) prepared, dft.forward(embed(spread(z))), yHat, 1f, false);
                yield restrict(dft.inverse(yHat));
            }
        };
    }

    /** {@code grad[off …] += ∂⟨g, S K(θ) x⟩/∂θ}. */
    public void accumulateGradient(FeatureMap g, FeatureMap x, double[] grad, int off) {
        requireDims(g, outputH(), outputW(), cout, "output cotangent");
        requireDims(x, h, w, cin, "input");
        if (method == Method.DIRECT) {
            direct.accumulateGradient(g, x, grad, off);
            return;
        }
        if (method == Method.POINTWISE) {
            pointwise.accumulateGradient(g, kept(x), grad, off);
            return;
        }
        FeatureMap full = spread(g);
        Correlation p = spectral.newCorrelation();
        spectral.accumulateCorrelation(dft.forward(embed(full)), dft.forward(embed(x)), 1f, p);
        spectral.addStencilGradient(p, grad, off);
    }

    public String describe() {
        return "conv " + k + "x" + k + " " + cout + "<-" + cin + " on " + h + "x" + w
                + (boundary == Boundary.ZERO ? " zero-bc" : "") + (stride > 1 ? " stride " + stride : "")
                + " (" + method.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** {@code S z}: the pixels the stride keeps. */
    private FeatureMap kept(FeatureMap z) {
        return stride == 1 ? z : z.strided(stride);
    }

    /** {@code Sᵀ z}: back on the full grid, zero between the kept pixels. */
    private FeatureMap spread(FeatureMap z) {
        return stride == 1 ? z : z.unstrided(stride, h, w);
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
