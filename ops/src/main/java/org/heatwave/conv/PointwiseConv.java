package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * The 1×1 convolution ("connector", seed 001): per pixel a channel-mixing matrix,
 * {@code Z(p)[o] = Σ_c W[o][c] Y(p)[c]}, its transpose, and the weight gradient
 * {@code ∂⟨G, W Y⟩/∂W[o][c] = Σ_{p,i} G[o] Y[c]}. Evaluated directly in space (no transform needed).
 * The weights are read from a float64 parameter vector at {@code off}, layout {@code W[o][c]} (the
 * {@link Stencil} layout with {@code k = 1}).
 *
 * <p>Every inner loop is a multiply-add between arrays that share one index (each pixel's channel vector
 * is copied into a row buffer first), the form the JIT vectorises.
 */
public final class PointwiseConv {
    private final int cout;
    private final int cin;

    public PointwiseConv(int cout, int cin) {
        this.cout = cout;
        this.cin = cin;
    }

    public int paramCount() {
        return cout * cin;
    }

    /** The weights in float32, as rows {@code W[o]} (length {@code c_in}) and columns {@code Wᵀ[c]} (length {@code c_out}). */
    public record Prepared(float[][] rows, float[][] columns) implements PreparedKernel {
    }

    /** Per-update precomputation of the weights at {@code theta[off …]}. */
    public Prepared prepare(double[] theta, int off) {
        float[][] rows = new float[cout][cin];
        float[][] cols = new float[cin][cout];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                float v = (float) theta[off + o * cin + c];
                rows[o][c] = v;
                cols[c][o] = v;
            }
        }
        return new Prepared(rows, cols);
    }

    /** {@code Z = W Y}. */
    public FeatureMap apply(Prepared w, FeatureMap y) {
        requireChannels(y, cin);
        FeatureMap z = new FeatureMap(y.h(), y.w(), y.n(), cout);
        mixRows(y.data(), z.data(), y.pixels() * y.n(), cin, cout, w.columns());
        return z;
    }

    /** {@code Y = Wᵀ Z}. */
    public FeatureMap applyTranspose(Prepared w, FeatureMap z) {
        requireChannels(z, cout);
        FeatureMap y = new FeatureMap(z.h(), z.w(), z.n(), cin);
        mixRows(z.data(), y.data(), z.pixels() * z.n(), cout, cin, w.rows());
        return y;
    }

    /** {@code out[r][q] = Σ_p in[r][p] m[p][q]} for every row r. */
    private static void mixRows(float[] in, float[] out, int rows, int p, int q, float[][] m) {
        float[] x = new float[p];
        float[] acc = new float[q];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(in, r * p, x, 0, p);
            java.util.Arrays.fill(acc, 0f);
            for (int a = 0; a < p; a++) {
                float v = x[a];
                float[] row = m[a];
                for (int b = 0; b < q; b++) {
                    acc[b] += v * row[b];
                }
            }
            System.arraycopy(acc, 0, out, r * q, q);
        }
    }

    /** Pixels of one example summed in float before the partial sum is added into float64. */
    private static final int BLOCK = 64;

    /**
     * {@code grad[off + o·cin + c] += Σ g[o] y[c]} over pixels and examples. Each example's sum is formed
     * on its own (float over blocks of {@value #BLOCK} pixels, float64 across blocks and examples), so
     * the result does not depend on which other examples share the batch — a Spark task's share of a step
     * gives the same per-example terms as the whole step in one task.
     */
    public void accumulateGradient(FeatureMap g, FeatureMap y, double[] grad, int off) {
        requireChannels(g, cout);
        requireChannels(y, cin);
        float[] gd = g.data(), yd = y.data();
        int n = y.n(), pixels = y.pixels();
        float[][] acc = new float[cout][cin];
        double[][] total = new double[cout][cin];
        float[] yr = new float[cin];
        for (int i = 0; i < n; i++) {
            for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
                for (float[] a : acc) {
                    java.util.Arrays.fill(a, 0f);
                }
                for (int p = p0; p < Math.min(pixels, p0 + BLOCK); p++) {
                    int r = p * n + i;
                    System.arraycopy(yd, r * cin, yr, 0, cin);
                    int gb = r * cout;
                    for (int o = 0; o < cout; o++) {
                        float gv = gd[gb + o];
                        float[] a = acc[o];
                        for (int c = 0; c < cin; c++) {
                            a[c] += gv * yr[c];
                        }
                    }
                }
                for (int o = 0; o < cout; o++) {
                    double[] t = total[o];
                    float[] a = acc[o];
                    for (int c = 0; c < cin; c++) {
                        t[c] += a[c];
                    }
                }
            }
        }
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                grad[off + o * cin + c] += total[o][c];
            }
        }
    }

    private static void requireChannels(FeatureMap f, int c) {
        if (f.c() != c) {
            throw new IllegalArgumentException("1x1 convolution expects " + c + " channels but got " + f.c());
        }
    }
}
