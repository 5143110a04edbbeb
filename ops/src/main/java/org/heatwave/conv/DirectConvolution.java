package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * A periodic multichannel {@code k × k} convolution computed directly in space, as a small matrix
 * product per output pixel ({@link Stencil} convention):
 *
 * <pre>Z(p) = Σ_t Y(p + t) W_t,   W_t[c][o] = θ[o][c][t],    (Kᵀ G)(p) = Σ_t G(p − t) W_tᵀ</pre>
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

    private FeatureMap run(FeatureMap in, float[] weights, int p, int q) {
        int n = in.n();
        int r = k / 2;
        int taps = k * k;
        FeatureMap out = new FeatureMap(h, w, n, q);
        int[] src = new int[taps];
        int block = n * p;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                for (int dy = 0; dy < k; dy++) {
                    int sy = Math.floorMod(yy + dy - r, h);
                    for (int dx = 0; dx < k; dx++) {
                        src[dy * k + dx] = (sy * w + Math.floorMod(xx + dx - r, w)) * block;
                    }
                }
                KERNELS.pixel(in.data(), src, taps, n, p, weights, q, out.data(), (yy * w + xx) * n * q);
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
