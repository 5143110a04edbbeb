package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/** A per-channel bias {@code z + b} on feature maps ({@code [h][w][n][c]} layout): forward, adjoint, tangent. */
public final class Bias {
    private Bias() {
    }

    /** {@code z ← z + b}, {@code b} of one value per channel. */
    public static void addInPlace(FeatureMap z, float[] b) {
        float[] d = z.data();
        int c = b.length;
        for (int i = 0; i < d.length; i++) {
            d[i] += b[i % c];
        }
    }

    /** {@code z ← z + db} with the bias tangent {@code db = dTheta[off … off + c)}. */
    public static void addTangentInPlace(FeatureMap z, double[] dTheta, int off) {
        float[] d = z.data();
        int c = z.c();
        for (int i = 0; i < d.length; i++) {
            d[i] += (float) dTheta[off + i % c];
        }
    }

    /** {@code grad[off + ch] += Σ z̄} over pixels and examples of channel {@code ch}: the adjoint. */
    public static void accumulateGradient(FeatureMap zbar, double[] grad, int off) {
        float[] a = zbar.data();
        int c = zbar.c();
        double[] acc = new double[c];
        for (int i = 0; i < a.length; i++) {
            acc[i % c] += a[i];
        }
        for (int ch = 0; ch < c; ch++) {
            grad[off + ch] += acc[ch];
        }
    }
}
