package org.heatwave.conv;

import java.util.Arrays;
import org.heatwave.tensor.FeatureMap;

/**
 * A multichannel {@code k × k} convolution with a {@link Boundary} and a stride, computed directly in
 * space as a small matrix product per output pixel ({@link Stencil} convention, seed 001):
 *
 * <pre>Z(p) = Σ_t Y(s·p + t) W_t,   W_t[c][o] = θ[o][c][t],    (Kᵀ Sᵀ G)(q) = Σ_t G(q − t) W_tᵀ,
 *   ∂⟨G, S K Y⟩/∂W_t = Σ_p Y(s·p + t)ᵀ G(p)</pre>
 *
 * where {@code Y} reads beyond the edge as the boundary says (wrapped, or zero) and {@code G} is zero off
 * the stride lattice. Each output pixel's {@code [n][c]} block of the {@link FeatureMap} layout is the left
 * factor, so every product is a register-blocked {@code n × k²c_in} by {@code k²c_in × c_out} multiply
 * ({@link DirectKernels}), reading the taps in place where they all lie inside the image and the outputs
 * are few (gathering them, with zeros beyond a zero boundary, otherwise); a stride computes only the kept
 * pixels. With stride 1 the transpose is the same product with the flipped stencil; with a stride it
 * runs per kept pixel as {@code G(p) · [W_0ᵀ … W_{k²−1}ᵀ]} and adds each tap's block where that tap reads
 * (so it, too, does only the work of the kept pixels). The θ-gradient runs per example and tap as the
 * same register-blocked product with the roles turned: consecutive input channels of a pixel as the rows,
 * the output pixels as the inputs (read in place through the tap's offsets) and the example's cotangents
 * as the weights; summed over pixels in float32 and over examples in float64, so it does not depend on how
 * examples are grouped into tasks. The alternative to the FFT path ({@link Convolution} chooses); same
 * results up to rounding. Instances are immutable and thread-safe.
 */
public final class DirectConvolution {
    private static final DirectKernels KERNELS = DirectKernels.get();
    /**
     * Output channels up to which a pixel's taps are read in place ({@link DirectKernels#pixelAt}); wider
     * outputs re-read the scattered inputs once per 64 output channels, and gathering them once may then be
     * faster (measured with the 4 × 4 register blocks: in place is 15–25 % faster at 64 outputs, 1–4 % at
     * 128; wider layers were not measured and keep the gather).
     */
    private static final int IN_PLACE_OUTPUTS = 128;
    /**
     * Output pixels per block of the θ-gradient (whose partial sums are then added up): blocks bound the
     * cotangents copied at a time; smaller blocks measured slower (32: 1.4–2×, 64: 1.3×, 128: 1.0–1.15× the
     * time of 256 at widths 32–64), images of up to 256 pixels run as one block.
     */
    private static final int GRADIENT_PIXELS = 256;

    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;
    private final Boundary boundary;
    private final int stride;
    private final int ho;
    private final int wo;
    /** {@code forward[t·ho·wo + p]}: the input pixel that tap t of output pixel p reads, or −1 for zero. */
    private final int[] forward;
    /**
     * With stride 1, {@code transpose[t·h·w + q]}: the output pixel that flipped tap t of input pixel q reads,
     * or −1; null with a stride (the transpose scatters along {@link #forward}).
     */
    private final int[] transpose;

    /** A periodic convolution with stride 1. */
    public DirectConvolution(int cout, int cin, int k, int h, int w) {
        this(cout, cin, k, h, w, Boundary.PERIODIC, 1);
    }

    public DirectConvolution(int cout, int cin, int k, int h, int w, Boundary boundary, int stride) {
        Stencil.requireOdd(k);
        Stencil.requireStride(stride);
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.h = h;
        this.w = w;
        this.boundary = boundary;
        this.stride = stride;
        this.ho = (h + stride - 1) / stride;
        this.wo = (w + stride - 1) / stride;
        int taps = k * k;
        int r = k / 2;
        forward = new int[taps * ho * wo];
        transpose = stride == 1 ? new int[taps * h * w] : null;
        for (int t = 0; t < taps; t++) {
            int dy = t / k - r;
            int dx = t % k - r;
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    int sy = wrap(stride * oy + dy, h);
                    int sx = wrap(stride * ox + dx, w);
                    forward[(t * ho + oy) * wo + ox] = sy < 0 || sx < 0 ? -1 : sy * w + sx;
                }
            }
            for (int y = 0; transpose != null && y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int gy = wrap(y + dy, h);
                    int gx = wrap(x + dx, w);
                    transpose[(t * h + y) * w + x] = gy < 0 || gx < 0 ? -1 : gy * w + gx;
                }
            }
        }
    }

    /** The coordinate {@code i} of an axis of length {@code len} under the boundary: wrapped, or −1 outside. */
    private int wrap(int i, int len) {
        if (boundary == Boundary.PERIODIC) {
            return Math.floorMod(i, len);
        }
        return i < 0 || i >= len ? -1 : i;
    }

    public int paramCount() {
        return Stencil.paramCount(cout, cin, k);
    }

    /** The weights of {@code K} and of {@code Kᵀ} for {@code theta[off …]}. */
    public Weights prepare(double[] theta, int off) {
        int taps = k * k;
        float[] fwd = new float[taps * cin * cout];
        float[] tr = new float[taps * cout * cin];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int t = 0; t < taps; t++) {
                    float v = (float) theta[off + (o * cin + c) * taps + t];
                    fwd[(t * cin + c) * cout + o] = v;
                    if (stride == 1) {
                        tr[((taps - 1 - t) * cout + o) * cin + c] = v;
                    } else {
                        tr[(o * taps + t) * cin + c] = v;
                    }
                }
            }
        }
        return new Weights(fwd, tr);
    }

    /**
     * Prepared weights: {@code forward[(t·c_in + c)·c_out + o]}; for {@code Kᵀ} with stride 1 the flipped taps
     * transposed, {@code transpose[((k²−1−t)·c_out + o)·c_in + c]}, and with a stride every tap's transpose
     * side by side, {@code transpose[(o·k² + t)·c_in + c]}. Immutable by convention (never written after
     * {@link #prepare}).
     */
    public record Weights(float[] forward, float[] transpose) implements PreparedKernel {
    }

    /** {@code S K y}. */
    public FeatureMap apply(Weights weights, FeatureMap y) {
        require(y, h, w, cin, "input");
        return run(y, forward, ho, wo, weights.forward(), cin, cout);
    }

    /** {@code Kᵀ Sᵀ z} (the correlation with the point-reflected stencil and channels swapped). */
    public FeatureMap applyTranspose(Weights weights, FeatureMap z) {
        require(z, ho, wo, cout, "output cotangent");
        return stride == 1 ? run(z, transpose, h, w, weights.transpose(), cout, cin) : scatter(z, weights.transpose());
    }

    /**
     * {@code Kᵀ Sᵀ z} with a stride: per kept pixel p, the {@code n × k²c_in} product {@code z(p) [W_tᵀ]_t}, each
     * tap's {@code n × c_in} block added to the input pixel that tap reads ({@link #forward}), pixels in order.
     */
    private FeatureMap scatter(FeatureMap z, float[] weights) {
        int n = z.n();
        int taps = k * k;
        int q = taps * cin;
        int pixels = ho * wo;
        FeatureMap out = new FeatureMap(h, w, n, cin);
        float[] o = out.data();
        float[] product = new float[n * q];
        float[] col = new float[n * cout];
        int[] src = new int[1];
        for (int p = 0; p < pixels; p++) {
            src[0] = p * n * cout;
            KERNELS.pixel(z.data(), src, 1, n, cout, weights, q, product, 0, col);
            for (int t = 0; t < taps; t++) {
                int target = forward[t * pixels + p];
                if (target < 0) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    int to = (target * n + i) * cin;
                    int from = i * q + t * cin;
                    for (int c = 0; c < cin; c++) {
                        o[to + c] += product[from + c];
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code grad[off …] += ∂⟨g, S K(θ) x⟩/∂θ = Σ_i Σ_p x_i(s·p + t)ᵀ g_i(p)}: per example and tap, the
     * {@code c_in × c_out} product of the input pixels the tap reads (rows: input channels, read in place in
     * a contiguous copy of the example through {@link #forward}) with the example's cotangents
     * ({@link DirectKernels#pixelAt}), summed over pixels in float32, then over examples in float64 — so the
     * result does not depend on how examples are grouped into tasks.
     */
    public void accumulateGradient(FeatureMap g, FeatureMap x, double[] grad, int off) {
        require(g, ho, wo, cout, "output cotangent");
        require(x, h, w, cin, "input");
        int n = x.n();
        int taps = k * k;
        int plane = h * w;
        int pixels = ho * wo;
        int chunks = (pixels + GRADIENT_PIXELS - 1) / GRADIENT_PIXELS;
        // offsets[t][b][j]: where tap t of output pixel b·GRADIENT_PIXELS + j reads in the example's copy (whose
        // extra last pixel is zeros, for taps beyond a zero boundary)
        int[][][] offsets = new int[taps][chunks][];
        for (int t = 0; t < taps; t++) {
            for (int b = 0; b < chunks; b++) {
                int p0 = b * GRADIENT_PIXELS;
                int[] o = new int[Math.min(GRADIENT_PIXELS, pixels - p0)];
                for (int j = 0; j < o.length; j++) {
                    int src = forward[t * pixels + p0 + j];
                    o[j] = (src < 0 ? plane : src) * cin;
                }
                offsets[t][b] = o;
            }
        }
        float[] example = new float[(plane + 1) * cin];
        float[] cot = new float[GRADIENT_PIXELS * cout];
        float[] part = new float[cin * cout];
        float[] acc = new float[taps * cin * cout];
        double[] sum = new double[acc.length];
        float[] xd = x.data();
        float[] gd = g.data();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < plane; p++) {
                System.arraycopy(xd, (p * n + i) * cin, example, p * cin, cin);
            }
            Arrays.fill(acc, 0f);
            for (int b = 0; b < chunks; b++) {
                int p0 = b * GRADIENT_PIXELS;
                int len = offsets[0][b].length;
                for (int j = 0; j < len; j++) {
                    System.arraycopy(gd, ((p0 + j) * n + i) * cout, cot, j * cout, cout);
                }
                for (int t = 0; t < taps; t++) {
                    // c_in "examples" (consecutive channels of a pixel) against the chunk's pixels as inputs
                    KERNELS.pixelAt(example, offsets[t][b], len, cin, 1, cot, cout, part, 0);
                    int a0 = t * cin * cout;
                    for (int j = 0; j < part.length; j++) {
                        acc[a0 + j] += part[j];
                    }
                }
            }
            for (int j = 0; j < acc.length; j++) {
                sum[j] += acc[j];
            }
        }
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                int base = off + (o * cin + c) * taps;
                for (int t = 0; t < taps; t++) {
                    grad[base + t] += sum[(t * cin + c) * cout + o];
                }
            }
        }
    }

    /** The per-pixel products over the {@code hOut × wOut} output pixels whose taps {@code sources} lists. */
    private FeatureMap run(FeatureMap in, int[] sources, int hOut, int wOut, float[] weights, int p, int q) {
        int n = in.n();
        int taps = k * k;
        int pixels = hOut * wOut;
        FeatureMap out = new FeatureMap(hOut, wOut, n, q);
        int[] src = new int[taps];
        int[] off = new int[taps * p];
        int block = n * p;
        float[] col = null;
        for (int px = 0; px < pixels; px++) {
            boolean inside = true;
            for (int t = 0; t < taps; t++) {
                int s = sources[t * pixels + px];
                src[t] = s < 0 ? -1 : s * block;
                inside &= s >= 0;
            }
            if (inside && q <= IN_PLACE_OUTPUTS) {
                // every tap inside the image and few outputs: the kernel reads the input where it lies
                for (int t = 0; t < taps; t++) {
                    for (int a = 0; a < p; a++) {
                        off[t * p + a] = src[t] + a;
                    }
                }
                KERNELS.pixelAt(in.data(), off, taps * p, n, p, weights, q, out.data(), px * n * q);
            } else {
                // taps outside a zero boundary (or off the stride lattice) are gathered as zeros
                col = col != null ? col : new float[block * taps];
                KERNELS.pixel(in.data(), src, taps, n, p, weights, q, out.data(), px * n * q, col);
            }
        }
        return out;
    }

    private void require(FeatureMap m, int eh, int ew, int channels, String what) {
        if (m.h() != eh || m.w() != ew || m.c() != channels) {
            throw new IllegalArgumentException("direct convolution " + cout + "<-" + cin + " k=" + k + " on " + h
                    + "x" + w + (stride > 1 ? " stride " + stride : "") + ": " + what + " must be " + eh + "x" + ew
                    + "x" + channels + ", got " + m.dims());
        }
    }
}
