package org.heatwave.opt;

import org.heatwave.linalg.Vectors;

/**
 * Backtracking to sufficient decrease (Armijo): the first {@code α = α₀ ρᵏ} with
 * {@code f(x + αd) ≤ f(x) + c₁ α ∇f(x)ᵀd} (Nocedal &amp; Wright, Alg. 3.1). Values only — on Spark one
 * forward pass over the sample per trial.
 */
public final class Armijo implements LineSearch {
    private final double c1;
    private final double shrink;
    private final int maxTrials;

    /** {@code c₁ = 1e-4}, {@code ρ = ½}, at most 20 trials. */
    public Armijo() {
        this(1e-4, 0.5, 20);
    }

    public Armijo(double c1, double shrink, int maxTrials) {
        if (!(c1 > 0 && c1 < 1) || !(shrink > 0 && shrink < 1) || maxTrials < 1) {
            throw new IllegalArgumentException("Armijo needs 0 < c1 < 1, 0 < shrink < 1, trials >= 1; got "
                    + c1 + ", " + shrink + ", " + maxTrials);
        }
        this.c1 = c1;
        this.shrink = shrink;
        this.maxTrials = maxTrials;
    }

    @Override
    public Step search(Objective f, double[] x, double f0, double[] g0, double[] d, double initial) {
        double slope = LineSearch.slope(g0, d);
        double alpha = initial;
        for (int trial = 1; trial <= maxTrials; trial++) {
            double value = f.value(Vectors.plus(x, alpha, d));
            if (value <= f0 + c1 * alpha * slope) {
                return new Step(alpha, value, null, trial, true);
            }
            alpha *= shrink;
        }
        return new Step(0, f0, null, maxTrials, false);
    }
}
