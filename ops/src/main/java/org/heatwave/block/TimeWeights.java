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
    /** The parametrisations. */
    private enum Kind { PER_STEP, CONSTANT, HATS }

    private final Kind kind;
    private final double[][] b;

    private TimeWeights(Kind kind, double[][] b) {
        this.kind = kind;
        this.b = b;
    }

    /** One parameter set per step. */
    public static TimeWeights perStep(int nt) {
        requireSteps(nt);
        double[][] b = new double[nt][nt];
        for (int j = 0; j < nt; j++) {
            b[j][j] = 1;
        }
        return new TimeWeights(Kind.PER_STEP, b);
    }

    /** One parameter set for every step. */
    public static TimeWeights constant(int nt) {
        requireSteps(nt);
        double[][] b = new double[nt][1];
        for (int j = 0; j < nt; j++) {
            b[j][0] = 1;
        }
        return new TimeWeights(Kind.CONSTANT, b);
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
        return new TimeWeights(Kind.HATS, b);
    }

    private static void requireSteps(int nt) {
        if (nt < 1) {
            throw new IllegalArgumentException("a block needs at least one time step, got nt=" + nt);
        }
    }

    /** Whether there is one parameter set per step. */
    public boolean isPerStep() {
        return kind == Kind.PER_STEP;
    }

    /**
     * The same parametrisation on twice the steps (refinement in depth: {@code nt → 2nt}, {@code h → h/2}):
     * per-step stays per-step, a constant set stays constant, hat functions keep their sets.
     */
    public TimeWeights refined() {
        int nt = 2 * steps();
        return switch (kind) {
            case PER_STEP -> perStep(nt);
            case CONSTANT -> constant(nt);
            case HATS -> hats(nt, sets());
        };
    }

    /**
     * The stored sets of {@link #refined()} from this one's, {@code src[off + m·p …]} into {@code dst[dOff …]}:
     * with one set per step, step {@code j} of the old block covers the times {@code [jh, (j+1)h)}, so the
     * new steps {@code 2j} and {@code 2j + 1} (at {@code jh} and {@code (j + ½)h}) get {@code θ_j} and
     * {@code (θ_j + θ_{j+1})/2} (the last step keeps {@code θ_{nt−1}}); other parametrisations keep their sets.
     */
    public void refineSets(double[] src, int off, int p, double[] dst, int dOff) {
        if (!isPerStep()) {
            System.arraycopy(src, off, dst, dOff, sets() * p);
            return;
        }
        int nt = steps();
        for (int j = 0; j < nt; j++) {
            int from = off + j * p;
            int next = off + Math.min(j + 1, nt - 1) * p;
            System.arraycopy(src, from, dst, dOff + 2 * j * p, p);
            for (int i = 0; i < p; i++) {
                dst[dOff + (2 * j + 1) * p + i] = 0.5 * (src[from + i] + src[next + i]);
            }
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
        return switch (kind) {
            case PER_STEP -> "per-step";
            case CONSTANT -> "constant";
            case HATS -> "hats(" + sets() + ")";
        };
    }
}
