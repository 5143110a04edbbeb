package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * The 1×1 convolution ("connector", seed 001): per pixel a channel-mixing matrix,
 * {@code Z(p)[o] = Σ_c W[o][c] Y(p)[c]}, its transpose, and the weight gradient
 * {@code ∂⟨G, W Y⟩/∂W[o][c] = Σ_{p,i} G[o] Y[c]}. Evaluated directly in space (no transform needed).
 * The weights are read from a float64 parameter vector at {@code off}, layout {@code W[o][c]} (the
 * {@link Stencil} layout with {@code k = 1}).
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

    /** The weights transposed to {@code [c][o]} in float32, the layout {@link #apply} streams. */
    public float[] prepare(double[] theta, int off) {
        float[] wt = new float[cin * cout];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                wt[c * cout + o] = (float) theta[off + o * cin + c];
            }
        }
        return wt;
    }

    /** {@code Z = W Y}; {@code wt} from {@link #prepare}. */
    public FeatureMap apply(float[] wt, FeatureMap y) {
        requireChannels(y, cin);
        FeatureMap z = new FeatureMap(y.h(), y.w(), y.n(), cout);
        float[] in = y.data(), out = z.data();
        int rows = y.pixels() * y.n();
        for (int r = 0; r < rows; r++) {
            int ib = r * cin, ob = r * cout;
            for (int c = 0; c < cin; c++) {
                float v = in[ib + c];
                int wb = c * cout;
                for (int o = 0; o < cout; o++) {
                    out[ob + o] += v * wt[wb + o];
                }
            }
        }
        return z;
    }

    /** {@code Y = Wᵀ Z}. */
    public FeatureMap applyTranspose(float[] wt, FeatureMap z) {
        requireChannels(z, cout);
        FeatureMap y = new FeatureMap(z.h(), z.w(), z.n(), cin);
        float[] in = z.data(), out = y.data();
        int rows = z.pixels() * z.n();
        for (int r = 0; r < rows; r++) {
            int ib = r * cout, ob = r * cin;
            for (int c = 0; c < cin; c++) {
                int wb = c * cout;
                float s = 0;
                for (int o = 0; o < cout; o++) {
                    s += wt[wb + o] * in[ib + o];
                }
                out[ob + c] = s;
            }
        }
        return y;
    }

    /** {@code grad[off + o·cin + c] += Σ g[o] y[c]} over pixels and examples. */
    public void accumulateGradient(FeatureMap g, FeatureMap y, double[] grad, int off) {
        requireChannels(g, cout);
        requireChannels(y, cin);
        float[] gd = g.data(), yd = y.data();
        int rows = y.pixels() * y.n();
        float[] acc = new float[cout * cin];
        for (int r = 0; r < rows; r++) {
            int gb = r * cout, yb = r * cin;
            for (int o = 0; o < cout; o++) {
                float gv = gd[gb + o];
                int ab = o * cin;
                for (int c = 0; c < cin; c++) {
                    acc[ab + c] += gv * yd[yb + c];
                }
            }
        }
        for (int j = 0; j < acc.length; j++) {
            grad[off + j] += acc[j];
        }
    }

    private static void requireChannels(FeatureMap f, int c) {
        if (f.c() != c) {
            throw new IllegalArgumentException("1x1 convolution expects " + c + " channels but got " + f.c());
        }
    }
}
