package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * Instance normalisation with trainable scale and shift (seed 000, "Normalization"): for every example
 * {@code i} and channel {@code c} separately, over the pixels {@code p},
 *
 * <pre>μ = mean_p Z,  s = 1/√(mean_p (Z − μ)² + ε),  Ẑ = (Z − μ)·s,  A = γ_c Ẑ + β_c</pre>
 *
 * <p>Derivatives (per example and channel, {@code m} pixels): {@code dẐ = s (dZ − mean dZ − Ẑ mean(Ẑ dZ))},
 * {@code dA = γ dẐ + dγ Ẑ + dβ}; and the adjoint {@code Z̄ = s (γĀ − mean γĀ − Ẑ mean(Ẑ γĀ))},
 * {@code γ̄ = Σ_p Ā Ẑ}, {@code β̄ = Σ_p Ā}. Statistics never mix examples, so a batch can be split across
 * Spark partitions without changing any result. Stateless; the caller owns all arrays.
 */
public final class InstanceNorm {
    /** The conditioning parameter ε of the standard deviation. */
    public static final float EPS = 1e-5f;

    private InstanceNorm() {
    }

    /** What the backward pass needs: the normalised values and the inverse standard deviations. */
    public record Cache(FeatureMap zhat, float[] invStd) {
    }

    /** Pixels summed in float before the partial sums are added into float64. */
    private static final int BLOCK = 64;

    /**
     * Per-plane sums {@code Σ_p x(p)} and, if {@code y} is given, {@code Σ_p x(p) y(p)}, accumulated in
     * float over blocks of {@value #BLOCK} pixels and in float64 across blocks. Every inner loop runs over
     * row buffers that share one index (the form the JIT vectorises).
     */
    private static void planeSums(float[] x, float[] y, int m, int nc, double[] sx, double[] sxy) {
        float[] rx = new float[nc];
        float[] ry = new float[nc];
        float[] ax = new float[nc];
        float[] axy = new float[nc];
        for (int p0 = 0; p0 < m; p0 += BLOCK) {
            java.util.Arrays.fill(ax, 0f);
            java.util.Arrays.fill(axy, 0f);
            for (int p = p0; p < Math.min(m, p0 + BLOCK); p++) {
                System.arraycopy(x, p * nc, rx, 0, nc);
                for (int j = 0; j < nc; j++) {
                    ax[j] += rx[j];
                }
                if (y != null) {
                    System.arraycopy(y, p * nc, ry, 0, nc);
                    for (int j = 0; j < nc; j++) {
                        axy[j] += rx[j] * ry[j];
                    }
                }
            }
            for (int j = 0; j < nc; j++) {
                sx[j] += ax[j];
                sxy[j] += axy[j];
            }
        }
    }

    /** {@code out(p) = k0 x(p) + k1 + k2 y(p)} per plane ({@code y} may be null, then the term is absent). */
    private static void affineRows(float[] x, float[] y, float[] out, int m, int nc, float[] k0, float[] k1, float[] k2) {
        float[] rx = new float[nc];
        float[] ry = new float[nc];
        float[] ro = new float[nc];
        for (int p = 0; p < m; p++) {
            System.arraycopy(x, p * nc, rx, 0, nc);
            if (y != null) {
                System.arraycopy(y, p * nc, ry, 0, nc);
                for (int j = 0; j < nc; j++) {
                    ro[j] = k0[j] * rx[j] + k1[j] + k2[j] * ry[j];
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    ro[j] = k0[j] * rx[j] + k1[j];
                }
            }
            System.arraycopy(ro, 0, out, p * nc, nc);
        }
    }

    /**
     * {@code a = γ Ẑ + β} with per-channel γ and β.
     *
     * @param z input (not modified)
     * @param a output, same dimensions (overwritten); may not be {@code z}
     */
    public static Cache forward(FeatureMap z, float[] gamma, float[] beta, FeatureMap a) {
        int n = z.n(), c = z.c(), nc = n * c, m = z.pixels();
        float[] zd = z.data();
        double[] sum = new double[nc];
        planeSums(zd, null, m, nc, sum, new double[nc]);
        float[] one = new float[nc];
        float[] negMean = new float[nc];
        for (int j = 0; j < nc; j++) {
            one[j] = 1f;
            negMean[j] = (float) (-sum[j] / m);
        }
        // two passes (centre, then the sum of squares of the centred values): no cancellation when the
        // mean is large against the spread
        FeatureMap zhat = z.zerosLike();
        float[] zh = zhat.data();
        affineRows(zd, null, zh, m, nc, one, negMean, null);
        double[] unused = new double[nc];
        double[] sq = new double[nc];
        planeSums(zh, zh, m, nc, unused, sq);
        float[] invStd = new float[nc];
        float[] zero = new float[nc];
        float[] g = new float[nc];
        float[] shift = new float[nc];
        for (int j = 0; j < nc; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(sq[j] / m + EPS));
            g[j] = gamma[j % c] * invStd[j];
            shift[j] = beta[j % c];
        }
        affineRows(zh, null, a.data(), m, nc, g, shift, null);
        affineRows(zh, null, zh, m, nc, invStd, zero, null);
        return new Cache(zhat, invStd);
    }

    /**
     * Adjoint: returns {@code Z̄} for the cotangent {@code abar} of {@code A}, and adds {@code γ̄}, {@code β̄}
     * to {@code grad[gOff …]}, {@code grad[bOff …]}.
     */
    public static FeatureMap vjp(Cache cache, float[] gamma, FeatureMap abar, double[] grad, int gOff, int bOff) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels();
        double[] sumA = new double[nc];
        double[] sumAZ = new double[nc];
        planeSums(abar.data(), zhat.data(), m, nc, sumA, sumAZ);
        for (int j = 0; j < nc; j++) {
            grad[gOff + j % c] += sumAZ[j];
            grad[bOff + j % c] += sumA[j];
        }
        float[] k0 = new float[nc];
        float[] k1 = new float[nc];
        float[] k2 = new float[nc];
        for (int j = 0; j < nc; j++) {
            float gs = gamma[j % c] * cache.invStd()[j];
            k0[j] = gs;
            k1[j] = (float) (-gs * sumA[j] / m);
            k2[j] = (float) (-gs * sumAZ[j] / m);
        }
        FeatureMap zbar = zhat.zerosLike();
        affineRows(abar.data(), zhat.data(), zbar.data(), m, nc, k0, k1, k2);
        return zbar;
    }

    /** Tangent: {@code dA} for {@code dZ} and parameter directions {@code dγ}, {@code dβ}. */
    public static FeatureMap jvp(Cache cache, float[] gamma, FeatureMap dz, float[] dGamma, float[] dBeta) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels();
        double[] sumD = new double[nc];
        double[] sumDZ = new double[nc];
        planeSums(dz.data(), zhat.data(), m, nc, sumD, sumDZ);
        float[] k0 = new float[nc];
        float[] k1 = new float[nc];
        float[] k2 = new float[nc];
        for (int j = 0; j < nc; j++) {
            float gs = gamma[j % c] * cache.invStd()[j];
            k0[j] = gs;
            k1[j] = (float) (-gs * sumD[j] / m) + dBeta[j % c];
            k2[j] = (float) (-gs * sumDZ[j] / m) + dGamma[j % c];
        }
        FeatureMap da = zhat.zerosLike();
        affineRows(dz.data(), zhat.data(), da.data(), m, nc, k0, k1, k2);
        return da;
    }
}
