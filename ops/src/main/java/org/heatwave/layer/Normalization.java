package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * Normalisation with trainable scale and shift (seed 000, "Normalization": represent features as
 * pixels × channels × examples and normalise along some of those directions):
 *
 * <pre>μ = mean_G Z,  s = 1/√(mean_G (Z − μ)² + ε),  Ẑ = (Z − μ)·s,  A = γ_c Ẑ + β_c</pre>
 *
 * where the group {@code G} that shares μ and s is
 * <ul>
 *   <li>{@link #INSTANCE}: one example and one channel, over the pixels (seed 000: "equivalent to total
 *       variation in image denoising"); statistics never mix examples, so a batch can be split across
 *       Spark partitions without changing any result;</li>
 *   <li>{@link #LAYER}: one example, over pixels and channels; likewise independent of the batch;</li>
 *   <li>{@link #BATCH}: one channel, over pixels and the examples of the batch (seed 000: "coupling across
 *       examples", "sensitive to batch size"). Under data-parallel training each task normalises over its
 *       own examples, so results depend on the partitioning. For inference with fixed running averages
 *       this class provides {@link #statistics}, {@link BatchStatistics#update} and
 *       {@link #withStatistics} (an affine map); {@link ConvNormAct} keeps the running averages in θ and
 *       normalises with them in its inference binding.</li>
 * </ul>
 *
 * <p>Derivatives (group of {@code m} values): {@code dẐ = s (dZ − mean dZ − Ẑ mean(Ẑ dZ))},
 * {@code dA = γ dẐ + dγ Ẑ + dβ}; the adjoint {@code Z̄ = s (γĀ − mean γĀ − Ẑ mean(Ẑ γĀ))} (means over the
 * group; γ varies inside a layer-norm group), {@code γ̄ = Σ Ā Ẑ}, {@code β̄ = Σ Ā}. Stateless; the caller
 * owns all arrays. Per-plane sums are formed in float over blocks of pixels and float64 beyond.
 */
public enum Normalization {
    INSTANCE, LAYER, BATCH;

    /** The conditioning parameter ε of the standard deviation. */
    public static final float EPS = 1e-5f;

    /** What the backward pass needs: the normalised values and, per (example, channel) plane, 1/std. */
    public record Cache(FeatureMap zhat, float[] invStd) {
        /** The bytes it holds. */
        public long bytes() {
            return zhat.bytes() + 4L * invStd.length;
        }
    }

    /** Batch normalisation's statistics per channel: means and (biased) variances. */
    public record BatchStatistics(double[] mean, double[] variance) {
        /** Exponential running average: {@code this·(1 − momentum) + batch·momentum}. */
        public BatchStatistics update(BatchStatistics batch, double momentum) {
            double[] m = new double[mean.length];
            double[] v = new double[mean.length];
            for (int c = 0; c < m.length; c++) {
                m[c] = (1 - momentum) * mean[c] + momentum * batch.mean[c];
                v[c] = (1 - momentum) * variance[c] + momentum * batch.variance[c];
            }
            return new BatchStatistics(m, v);
        }
    }

    /** Pixels summed in float before the partial sums are added into float64. */
    private static final int BLOCK = 64;

    /** The group of plane {@code j = i·c + ch}. */
    private int group(int j, int c) {
        return switch (this) {
            case INSTANCE -> j;
            case LAYER -> j / c;
            case BATCH -> j % c;
        };
    }

    private int groups(int n, int c) {
        return switch (this) {
            case INSTANCE -> n * c;
            case LAYER -> n;
            case BATCH -> c;
        };
    }

    /** Values per group for {@code m} pixels. */
    private int groupSize(int m, int n, int c) {
        return m * (n * c / groups(n, c));
    }

    /** Per-plane values summed into their groups, then spread back to the planes. */
    private double[] perGroup(double[] planes, int n, int c) {
        double[] g = new double[groups(n, c)];
        for (int j = 0; j < planes.length; j++) {
            g[group(j, c)] += planes[j];
        }
        double[] out = new double[planes.length];
        for (int j = 0; j < planes.length; j++) {
            out[j] = g[group(j, c)];
        }
        return out;
    }

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
    public Cache forward(FeatureMap z, float[] gamma, float[] beta, FeatureMap a) {
        FeatureMap zhat = z.zerosLike();
        float[] invStd = standardise(z, gamma, beta, zhat.data(), a.data());
        float[] zh = zhat.data();
        affineRows(zh, null, zh, z.pixels(), z.n() * z.c(), invStd, new float[invStd.length], null);
        return new Cache(zhat, invStd);
    }

    /**
     * {@code a = γ Ẑ + β} as {@link #forward} computes it, bit for bit, keeping nothing for a backward pass
     * (inference): one pass and one allocation fewer.
     *
     * @param z input (not modified)
     * @param a output, same dimensions (overwritten); may not be {@code z}
     */
    public void apply(FeatureMap z, float[] gamma, float[] beta, FeatureMap a) {
        standardise(z, gamma, beta, a.data(), a.data());
    }

    /**
     * The centred values {@code Z − μ} into {@code centred}, then {@code out = γ s (Z − μ) + β} (which may be
     * {@code centred}); returns {@code s} per (example, channel) plane.
     */
    private float[] standardise(FeatureMap z, float[] gamma, float[] beta, float[] centred, float[] out) {
        int n = z.n(), c = z.c(), nc = n * c, m = z.pixels(), size = groupSize(m, n, c);
        float[] zd = z.data();
        double[] sum = new double[nc];
        planeSums(zd, null, m, nc, sum, new double[nc]);
        sum = perGroup(sum, n, c);
        float[] one = new float[nc];
        float[] negMean = new float[nc];
        for (int j = 0; j < nc; j++) {
            one[j] = 1f;
            negMean[j] = (float) (-sum[j] / size);
        }
        // two passes (centre, then the sum of squares of the centred values): no cancellation when the
        // mean is large against the spread
        float[] zh = centred;
        affineRows(zd, null, zh, m, nc, one, negMean, null);
        double[] unused = new double[nc];
        double[] sq = new double[nc];
        planeSums(zh, zh, m, nc, unused, sq);
        sq = perGroup(sq, n, c);
        float[] invStd = new float[nc];
        float[] g = new float[nc];
        float[] shift = new float[nc];
        for (int j = 0; j < nc; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(sq[j] / size + EPS));
            g[j] = gamma[j % c] * invStd[j];
            shift[j] = beta[j % c];
        }
        affineRows(zh, null, out, m, nc, g, shift, null);
        return invStd;
    }

    /**
     * Adjoint: returns {@code Z̄} for the cotangent {@code abar} of {@code A}, and adds {@code γ̄}, {@code β̄}
     * to {@code grad[gOff …]}, {@code grad[bOff …]}.
     */
    public FeatureMap vjp(Cache cache, float[] gamma, FeatureMap abar, double[] grad, int gOff, int bOff) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels(), size = groupSize(m, n, c);
        double[] sumA = new double[nc];
        double[] sumAZ = new double[nc];
        planeSums(abar.data(), zhat.data(), m, nc, sumA, sumAZ);
        for (int j = 0; j < nc; j++) {
            grad[gOff + j % c] += sumAZ[j];
            grad[bOff + j % c] += sumA[j];
        }
        // γ is constant within an instance or batch group, so it factors out of the group means; a layer
        // group spans the channels and needs the γ-weighted sums
        boolean mixed = this == LAYER;
        double[] weightedA = mixed ? new double[nc] : sumA;
        double[] weightedAZ = mixed ? new double[nc] : sumAZ;
        if (mixed) {
            for (int j = 0; j < nc; j++) {
                weightedA[j] = gamma[j % c] * sumA[j];
                weightedAZ[j] = gamma[j % c] * sumAZ[j];
            }
        }
        weightedA = perGroup(weightedA, n, c);
        weightedAZ = perGroup(weightedAZ, n, c);
        float[] k0 = new float[nc];
        float[] k1 = new float[nc];
        float[] k2 = new float[nc];
        for (int j = 0; j < nc; j++) {
            float s = cache.invStd()[j];
            float gs = gamma[j % c] * s;
            float scale = mixed ? s : gs;
            k0[j] = gs;
            k1[j] = (float) (-scale * weightedA[j] / size);
            k2[j] = (float) (-scale * weightedAZ[j] / size);
        }
        FeatureMap zbar = zhat.zerosLike();
        affineRows(abar.data(), zhat.data(), zbar.data(), m, nc, k0, k1, k2);
        return zbar;
    }

    /** Tangent: {@code dA} for {@code dZ} and parameter directions {@code dγ}, {@code dβ}. */
    public FeatureMap jvp(Cache cache, float[] gamma, FeatureMap dz, float[] dGamma, float[] dBeta) {
        FeatureMap zhat = cache.zhat();
        int n = zhat.n(), c = zhat.c(), nc = n * c, m = zhat.pixels(), size = groupSize(m, n, c);
        double[] sumD = new double[nc];
        double[] sumDZ = new double[nc];
        planeSums(dz.data(), zhat.data(), m, nc, sumD, sumDZ);
        sumD = perGroup(sumD, n, c);
        sumDZ = perGroup(sumDZ, n, c);
        float[] k0 = new float[nc];
        float[] k1 = new float[nc];
        float[] k2 = new float[nc];
        for (int j = 0; j < nc; j++) {
            float gs = gamma[j % c] * cache.invStd()[j];
            k0[j] = gs;
            k1[j] = (float) (-gs * sumD[j] / size) + dBeta[j % c];
            k2[j] = (float) (-gs * sumDZ[j] / size) + dGamma[j % c];
        }
        FeatureMap da = zhat.zerosLike();
        affineRows(dz.data(), zhat.data(), da.data(), m, nc, k0, k1, k2);
        return da;
    }

    /**
     * The per-channel mean and (biased) variance of a batch: what {@link #BATCH} normalises with. Two
     * passes in float64 (mean, then squared deviations), as in {@link #forward}.
     */
    public static BatchStatistics statistics(FeatureMap z) {
        int c = z.c();
        float[] d = z.data();
        double count = (double) z.n() * z.pixels();
        double[] mean = new double[c];
        for (int j = 0; j < d.length; j++) {
            mean[j % c] += d[j];
        }
        for (int ch = 0; ch < c; ch++) {
            mean[ch] /= count;
        }
        double[] variance = new double[c];
        for (int j = 0; j < d.length; j++) {
            double e = d[j] - mean[j % c];
            variance[j % c] += e * e;
        }
        for (int ch = 0; ch < c; ch++) {
            variance[ch] /= count;
        }
        return new BatchStatistics(mean, variance);
    }

    /**
     * Batch normalisation at inference, {@code A = γ (Z − μ)/√(σ² + ε) + β} with fixed (running)
     * statistics: an affine map per channel, the same for every example.
     */
    public static FeatureMap withStatistics(FeatureMap z, float[] gamma, float[] beta, BatchStatistics stats) {
        int n = z.n(), c = z.c(), nc = n * c, m = z.pixels();
        float[] k0 = new float[nc];
        float[] k1 = new float[nc];
        for (int j = 0; j < nc; j++) {
            int ch = j % c;
            double s = 1 / Math.sqrt(stats.variance()[ch] + EPS);
            k0[j] = (float) (gamma[ch] * s);
            k1[j] = (float) (beta[ch] - gamma[ch] * s * stats.mean()[ch]);
        }
        FeatureMap a = z.zerosLike();
        affineRows(z.data(), null, a.data(), m, nc, k0, k1, null);
        return a;
    }
}
