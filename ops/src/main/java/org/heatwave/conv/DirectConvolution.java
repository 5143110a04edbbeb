package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * A periodic multichannel {@code k × k} convolution computed directly in space, as a small matrix
 * product per output pixel ({@link Stencil} convention):
 *
 * <pre>Z(p) = Σ_t Y(p + t) W_t,   W_t[c][o] = θ[o][c][t],    (Kᵀ G)(p) = Σ_t G(p − t) W_tᵀ,
 *   ∂⟨G, K Y⟩/∂W_t = Σ_p Y(p + t)ᵀ G(p)</pre>
 *
 * with each pixel's {@code [n][c]} block of the {@link FeatureMap} layout as the left factor, so every
 * product is a register-blocked {@code n × c_in} by {@code c_in × c_out} multiply ({@link DirectKernels}).
 * The alternative to the FFT path for small images and narrow layers; same results up to rounding.
 * Instances are immutable and thread-safe.
 */
public final class DirectConvolution {
    private static final DirectKernels KERNELS = DirectKernels.get();

    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;

    public DirectConvolution(int cout, int cin, int k, int h, int w) {
        Stencil.requireOdd(k);
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.h = h;
        this.w = w;
    }

    public int paramCount() {
        return Stencil.paramCount(cout, cin, k);
    }

    /** The weights of {@code K} and of {@code Kᵀ} for {@code theta[off …]}. */
    public Weights prepare(double[] theta, int off) {
        int taps = k * k;
        float[] forward = new float[taps * cin * cout];
        float[] transpose = new float[taps * cout * cin];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int t = 0; t < taps; t++) {
                    float v = (float) theta[off + (o * cin + c) * taps + t];
                    forward[(t * cin + c) * cout + o] = v;
                    transpose[((taps - 1 - t) * cout + o) * cin + c] = v;
                }
            }
        }
        return new Weights(forward, transpose);
    }

    /** Prepared weights: {@code forward[(t·c_in + c)·c_out + o]}, and for {@code Kᵀ} the flipped taps transposed. */
    public record Weights(float[] forward, float[] transpose) {
    }

    /** {@code K y}. */
    public FeatureMap apply(Weights weights, FeatureMap y) {
        require(y, cin, "input");
        return run(y, weights.forward(), cin, cout);
    }

    /** {@code Kᵀ z} (the correlation with the point-reflected stencil and channels swapped). */
    public FeatureMap applyTranspose(Weights weights, FeatureMap z) {
        require(z, cout, "output cotangent");
        return run(z, weights.transpose(), cout, cin);
    }

    /**
     * {@code grad[off …] += ∂⟨g, K(θ) x⟩/∂θ = Σ_i Σ_p x_i(p + t)ᵀ g_i(p)}: per example, the gathered taps of
     * every pixel against the cotangents, summed over pixels in float32 and then added in float64 — so the
     * result does not depend on how examples are grouped into tasks.
     */
    public void accumulateGradient(FeatureMap g, FeatureMap x, double[] grad, int off) {
        require(g, cout, "output cotangent");
        require(x, cin, "input");
        int n = x.n();
        int taps = k * k;
        int kk = taps * cin;
        int pixels = h * w;
        float[] col = new float[pixels * kk];
        float[] acc = new float[kk * cout];
        int[] src = new int[taps];
        for (int i = 0; i < n; i++) {
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    sources(yy, xx, n * cin, src);
                    int row = (yy * w + xx) * kk;
                    for (int t = 0; t < taps; t++) {
                        System.arraycopy(x.data(), src[t] + i * cin, col, row + t * cin, cin);
                    }
                }
            }
            KERNELS.gradient(col, pixels, kk, g.data(), i * cout, n * cout, cout, acc);
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    int base = off + (o * cin + c) * taps;
                    for (int t = 0; t < taps; t++) {
                        grad[base + t] += acc[(t * cin + c) * cout + o];
                    }
                }
            }
        }
    }

    /** Offsets of the {@code k²} source pixels of output pixel (yy, xx), in units of {@code block} floats. */
    private void sources(int yy, int xx, int block, int[] src) {
        int r = k / 2;
        for (int dy = 0; dy < k; dy++) {
            int sy = Math.floorMod(yy + dy - r, h);
            for (int dx = 0; dx < k; dx++) {
                src[dy * k + dx] = (sy * w + Math.floorMod(xx + dx - r, w)) * block;
            }
        }
    }

    private FeatureMap run(FeatureMap in, float[] weights, int p, int q) {
        int n = in.n();
        int taps = k * k;
        FeatureMap out = new FeatureMap(h, w, n, q);
        int[] src = new int[taps];
        int block = n * p;
        float[] col = new float[block * taps];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                sources(yy, xx, block, src);
                KERNELS.pixel(in.data(), src, taps, n, p, weights, q, out.data(), (yy * w + xx) * n * q, col);
            }
        }
        return out;
    }

    private void require(FeatureMap m, int channels, String what) {
        if (m.h() != h || m.w() != w || m.c() != channels) {
            throw new IllegalArgumentException("direct convolution " + cout + "<-" + cin + " on " + h + "x" + w
                    + ": " + what + " must be " + h + "x" + w + "x" + channels + ", got " + m.dims());
        }
    }
}
