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

    /**
     * {@code a = γ Ẑ + β} with per-channel γ and β.
     *
     * @param z input (not modified)
     * @param a output, same dimensions (overwritten); may not be {@code z}
     */
    public static Cache forward(FeatureMap z, float[] gamma, float[] beta, FeatureMap a) {
        int n = z.n(), c = z.c(), nc = n * c, m = z.pixels();
        float[] zd = z.data(), ad = a.data();
        double[] sum = new double[nc];
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                sum[j] += zd[b + j];
            }
        }
        float[] mean = new float[nc];
        for (int j = 0; j < nc; j++) {
            mean[j] = (float) (sum[j] / m);
        }
        double[] sq = new double[nc];
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                float d = zd[b + j] - mean[j];
                sq[j] += d * d;
            }
        }
        float[] invStd = new float[nc];
        float[] g = new float[nc];
        float[] bt = new float[nc];
        for (int j = 0; j < nc; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(sq[j] / m + EPS));
            g[j] = gamma[j % c];
            bt[j] = beta[j % c];
        }
        FeatureMap zhat = z.zerosLike();
        float[] zh = zhat.data();
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                float v = (zd[b + j] - mean[j]) * invStd[j];
                zh[b + j] = v;
                ad[b + j] = g[j] * v + bt[j];
            }
        }
        return new Cache(zhat, invStd);
    }

    /**
     * Adjoint: returns {@code Z̄} for the cotangent {@code abar} of {@code A}, and adds {@code γ̄}, {@code β̄}
     * to {@code grad[gOff …]}, {@code grad[bOff …]}.
     */
    public static FeatureMap vjp(Cache cache, float[] gamma, FeatureMap abar, double[] grad, int gOff, int bOff) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels();
        float[] zh = zhat.data(), ab = abar.data();
        double[] sumA = new double[nc];
        double[] sumAZ = new double[nc];
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                float v = ab[b + j];
                sumA[j] += v;
                sumAZ[j] += v * zh[b + j];
            }
        }
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
            k1[j] = (float) (gs * sumA[j] / m);
            k2[j] = (float) (gs * sumAZ[j] / m);
        }
        FeatureMap zbar = zhat.zerosLike();
        float[] zb = zbar.data();
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                zb[b + j] = k0[j] * ab[b + j] - k1[j] - k2[j] * zh[b + j];
            }
        }
        return zbar;
    }

    /** Tangent: {@code dA} for {@code dZ} and parameter directions {@code dγ}, {@code dβ}. */
    public static FeatureMap jvp(Cache cache, float[] gamma, FeatureMap dz, float[] dGamma, float[] dBeta) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels();
        float[] zh = zhat.data(), dd = dz.data();
        double[] sumD = new double[nc];
        double[] sumDZ = new double[nc];
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                sumD[j] += dd[b + j];
                sumDZ[j] += dd[b + j] * zh[b + j];
            }
        }
        FeatureMap da = zhat.zerosLike();
        float[] out = da.data();
        float[] gs = new float[nc];
        float[] mD = new float[nc];
        float[] mDZ = new float[nc];
        float[] dg = new float[nc];
        float[] db = new float[nc];
        for (int j = 0; j < nc; j++) {
            gs[j] = gamma[j % c] * cache.invStd()[j];
            mD[j] = (float) (sumD[j] / m);
            mDZ[j] = (float) (sumDZ[j] / m);
            dg[j] = dGamma[j % c];
            db[j] = dBeta[j % c];
        }
        for (int p = 0; p < m; p++) {
            int b = p * nc;
            for (int j = 0; j < nc; j++) {
                float z = zh[b + j];
                out[b + j] = gs[j] * (dd[b + j] - mD[j] - z * mDZ[j]) + dg[j] * z + db[j];
            }
        }
        return da;
    }
}
