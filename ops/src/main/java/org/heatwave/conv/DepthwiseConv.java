package org.heatwave.conv;

import java.util.Arrays;
import org.heatwave.tensor.FeatureMap;

/**
 * A periodic depthwise convolution: channel {@code c} is convolved with its own {@code k × k} stencil and
 * no channel sees another (seed 001's {@code diag(θ)} coupling; the spatial half of seed 003's lean
 * layer). In the {@link Stencil} convention, with only the stencil's active taps {@code t = dy·k + dx}
 * (all {@code k²}, or the 5-point cross):
 *
 * <pre>(D Y)_c(y, x) = Σ_t d[c][t] · Y_c(y + dy − r, x + dx − r),   (Dᵀ G)_c(y, x) = Σ_t d[c][t] · G_c(y − dy + r, x − dx + r)</pre>
 *
 * and {@code ∂⟨G, D Y⟩/∂d[c][t] = Σ_{pixels, examples} G_c(y, x) · Y_c(y + dy − r, x + dx − r)}. It costs
 * {@code taps} multiply-adds per value against {@code c·k²} for the full convolution it equals (with a
 * channel-diagonal stencil), so it runs directly in space.
 *
 * <p>Weights: {@code d[c·taps + t]} in the order of {@code activeTaps}. Feature maps keep each pixel's
 * examples and channels contiguous ({@code n·c} values), so every inner loop is one multiply-add over such
 * a row with a per-tap weight row repeated for each example ({@link DirectKernels#multiplyAdd}, Vector API).
 */
public final class DepthwiseConv {
    /** Pixels of one example summed in float before the partial sum is added into float64. */
    private static final int BLOCK = 64;
    private static final DirectKernels KERNELS = DirectKernels.get();

    private final int channels;
    private final int k;
    private final int[] activeTaps;

    /**
     * @param activeTaps the taps {@code dy·k + dx} the stencils use, in the order of their weights
     */
    public DepthwiseConv(int channels, int k, int[] activeTaps) {
        Stencil.requireOdd(k);
        for (int t : activeTaps) {
            if (t < 0 || t >= k * k) {
                throw new IllegalArgumentException("tap " + t + " is outside a " + k + "x" + k + " stencil");
            }
        }
        this.channels = channels;
        this.k = k;
        this.activeTaps = activeTaps.clone();
    }

    /** Number of weights, {@code channels · taps}. */
    public int paramCount() {
        return channels * activeTaps.length;
    }

    /** {@code D y} with the weights {@code d} ({@link #paramCount} floats). */
    public FeatureMap apply(float[] d, FeatureMap y) {
        requireChannels(y);
        FeatureMap z = y.zerosLike();
        shiftAdd(d, y, z, +1);
        return z;
    }

    /** {@code Dᵀ g}. */
    public FeatureMap applyTranspose(float[] d, FeatureMap g) {
        requireChannels(g);
        FeatureMap x = g.zerosLike();
        shiftAdd(d, g, x, -1);
        return x;
    }

    /**
     * {@code out(p) += Σ_t d[t] · in(p + sign·(a_t − r))}: the forward operator with {@code sign = +1}, the
     * transpose with {@code −1}.
     */
    private void shiftAdd(float[] d, FeatureMap in, FeatureMap out, int sign) {
        int h = in.h(), w = in.w(), row = in.n() * channels, r = (k - 1) / 2, taps = activeTaps.length;
        float[][] tiles = tiles(d, in.n());
        int[] oy = new int[taps], ox = new int[taps];
        for (int t = 0; t < taps; t++) {
            oy[t] = sign * (activeTaps[t] / k - r);
            ox[t] = sign * (activeTaps[t] % k - r);
        }
        float[] src = in.data(), dst = out.data();
        float[] acc = new float[row];
        // pixel by pixel: every tap into one output row kept in a buffer, stored once
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                Arrays.fill(acc, 0f);
                for (int t = 0; t < taps; t++) {
                    int s = (Math.floorMod(y + oy[t], h) * w + Math.floorMod(x + ox[t], w)) * row;
                    KERNELS.multiplyAdd(tiles[t], 0, src, s, acc, row);
                }
                System.arraycopy(acc, 0, dst, (y * w + x) * row, row);
            }
        }
    }

    /** Per tap the weights of every channel, repeated for each of {@code n} examples (one pixel's row). */
    private float[][] tiles(float[] d, int n) {
        if (d.length != paramCount()) {
            throw new IllegalArgumentException("depthwise stencils need " + paramCount() + " weights, got " + d.length);
        }
        int taps = activeTaps.length;
        float[][] tiles = new float[taps][n * channels];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < channels; c++) {
                tiles[t][c] = d[c * taps + t];
            }
            for (int i = 1; i < n; i++) {
                System.arraycopy(tiles[t], 0, tiles[t], i * channels, channels);
            }
        }
        return tiles;
    }

    /**
     * {@code grad[off + c·taps + t] += ∂⟨g, D(d) y⟩/∂d[c][t]}. Each example's sum is formed on its own
     * (float over blocks of {@value #BLOCK} pixels, float64 across blocks and examples), so the result does
     * not depend on which other examples share the batch.
     */
    public void accumulateGradient(FeatureMap g, FeatureMap y, double[] grad, int off) {
        requireChannels(g);
        requireChannels(y);
        g.requireSameDims(y, "depthwise cotangent");
        int h = y.h(), w = y.w(), row = y.n() * channels, r = (k - 1) / 2, taps = activeTaps.length;
        int pixels = h * w;
        float[] gd = g.data(), yd = y.data();
        float[][] acc = new float[taps][row];
        double[][] total = new double[taps][row];
        for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
            for (float[] a : acc) {
                Arrays.fill(a, 0f);
            }
            for (int p = p0; p < Math.min(pixels, p0 + BLOCK); p++) {
                int y0 = p / w, x0 = p % w;
                int o = p * row;
                for (int t = 0; t < taps; t++) {
                    int s = (Math.floorMod(y0 + activeTaps[t] / k - r, h) * w + Math.floorMod(x0 + activeTaps[t] % k - r, w)) * row;
                    KERNELS.multiplyAdd(gd, o, yd, s, acc[t], row);
                }
            }
            for (int t = 0; t < taps; t++) {
                double[] sum = total[t];
                float[] a = acc[t];
                for (int j = 0; j < row; j++) {
                    sum[j] += a[j];
                }
            }
        }
        for (int t = 0; t < taps; t++) {
            for (int j = 0; j < row; j++) {
                grad[off + (j % channels) * taps + t] += total[t][j];
            }
        }
    }

    private void requireChannels(FeatureMap f) {
        if (f.c() != channels) {
            throw new IllegalArgumentException("depthwise convolution expects " + channels + " channels but got " + f.c());
        }
    }
}
