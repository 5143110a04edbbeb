package org.heatwave.block;

/**
 * How a block's weights vary in time (seed 003: {@code θ(t) = (K₁(t), K₂(t), b(t))}, stable when they vary
 * slowly): the parameters of step {@code j} are the combination {@code θ_j = Σ_m B[j][m] β_m} of {@code m}
 * stored parameter sets {@code β_m}, so the gradient with respect to the stored sets is {@code Bᵀ} applied to
 * the per-step gradients.
 *
 * <ul>
 *   <li>{@link #perStep}: one set per step ({@code B = I}), the usual ResNet;</li>
 *   <li>{@link #constant}: one set shared by every step ({@code B = 1}), an autonomous ODE;</li>
 *   <li>{@link #hats}: {@code m ≥ 2} sets at equally spaced times {@code t_m = m/(m_count − 1)} with
 *       piecewise-linear interpolation in between ({@code B[j][m]} = hat function {@code m} at the step's
 *       time {@code t_j = j/(nt − 1)}) — weights that are smooth in time by construction.</li>
 * </ul>
 * Immutable.
 */
public final class TimeWeights {
    private final String name;
    private final double[][] b;

    private TimeWeights(String name, double[][] b) {
        this.name = name;
        this.b = b;
    }

    /** One parameter set per step. */
    public static TimeWeights perStep(int nt) {
        requireSteps(nt);
        double[][] b = new double[nt][nt];
        for (int j = 0; j < nt; j++) {
            b[j][j] = 1;
        }
        return new TimeWeights("per-step", b);
    }

    /** One parameter set for every step. */
    public static TimeWeights constant(int nt) {
        requireSteps(nt);
        double[][] b = new double[nt][1];
        for (int j = 0; j < nt; j++) {
            b[j][0] = 1;
        }
        return new TimeWeights("constant", b);
    }

    /** {@code sets ≥ 2} parameter sets at equally spaced times, linearly interpolated between them. */
    public static TimeWeights hats(int nt, int sets) {
        requireSteps(nt);
        if (sets < 2) {
            throw new IllegalArgumentException("a hat basis in time needs at least 2 sets, got " + sets);
        }
        double[][] b = new double[nt][sets];
        for (int j = 0; j < nt; j++) {
            double t = nt == 1 ? 0 : (double) j / (nt - 1) * (sets - 1);
            int left = Math.min((int) Math.floor(t), sets - 2);
            double frac = t - left;
            b[j][left] = 1 - frac;
            b[j][left + 1] = frac;
        }
        return new TimeWeights("hats(" + sets + ")", b);
    }

    private static void requireSteps(int nt) {
        if (nt < 1) {
            throw new IllegalArgumentException("a block needs at least one time step, got nt=" + nt);
        }
    }

    /** Number of time steps. */
    public int steps() {
        return b.length;
    }

    /** Number of stored parameter sets. */
    public int sets() {
        return b[0].length;
    }

    /** {@code B[j][m]}. */
    public double weight(int j, int m) {
        return b[j][m];
    }

    /** {@code out[0 … p) = Σ_m B[j][m] · src[off + m·p …]}. */
    void combine(int j, double[] src, int off, int p, double[] out) {
        java.util.Arrays.fill(out, 0, p, 0);
        for (int m = 0; m < sets(); m++) {
            double w = b[j][m];
            if (w != 0) {
                int base = off + m * p;
                for (int i = 0; i < p; i++) {
                    out[i] += w * src[base + i];
                }
            }
        }
    }

    /** {@code dst[off + m·p + i] += B[j][m] · g[i]}: a step's gradient back to the stored sets ({@code Bᵀ}). */
    void spread(int j, double[] g, int p, double[] dst, int off) {
        for (int m = 0; m < sets(); m++) {
            double w = b[j][m];
            if (w != 0) {
                int base = off + m * p;
                for (int i = 0; i < p; i++) {
                    dst[base + i] += w * g[i];
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
