package org.heatwave.linalg;

/**
 * The conjugate-gradient method for {@code A x = b} with {@code A} symmetric positive semi-definite
 * (Hestenes–Stiefel; Nocedal &amp; Wright, Alg. 5.2), started from {@code x = 0}: the Gauss–Newton direction
 * of seed 002 from {@code (JᵀHJ + αI) p = −g}. Stops when {@code ‖r‖ ≤ tol·‖b‖}, after {@code maxIterations}
 * products, or on non-positive curvature {@code pᵀAp ≤ 0} (possible for a semi-definite {@code A} without
 * shift, or from rounding) — then it returns the iterate so far, which is still a descent direction for
 * {@code −g} as long as one iteration was taken (and the steepest-descent direction {@code b} otherwise).
 * One operator product per iteration: on Spark one job each.
 */
public final class ConjugateGradient {
    private final double tolerance;
    private final int maxIterations;

    /**
     * @param tolerance     relative residual {@code ‖b − Ax‖/‖b‖} to stop at, in (0, 1)
     * @param maxIterations cap on operator products, ≥ 1
     */
    public ConjugateGradient(double tolerance, int maxIterations) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("CG tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("CG needs at least 1 iteration, got " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** Why CG stopped. */
    public enum Stop { CONVERGED, MAX_ITERATIONS, NEGATIVE_CURVATURE }

    /**
     * @param x              the approximate solution
     * @param iterations     operator products used
     * @param relativeResidual {@code ‖b − Ax‖/‖b‖} at the end
     */
    public record Result(double[] x, int iterations, double relativeResidual, Stop stop) {
    }

    /** Called after each iteration (progress, job descriptions): iteration number (1-based) and relative residual. */
    @FunctionalInterface
    public interface Listener {
        void iteration(int k, double relativeResidual);

        Listener NONE = (k, r) -> { };
    }

    public Result solve(LinearOperator a, double[] b) {
        return solve(a, b, Listener.NONE);
    }

    public Result solve(LinearOperator a, double[] b, Listener listener) {
        int n = b.length;
        double[] x = new double[n];
        double bNorm = Vectors.norm(b);
        if (bNorm == 0) {
            return new Result(x, 0, 0, Stop.CONVERGED);
        }
        double[] r = b.clone();
        double[] p = b.clone();
        double[] ap = new double[n];
        double rr = bNorm * bNorm;
        for (int k = 1; k <= maxIterations; k++) {
            a.apply(p, ap);
            double curvature = Vectors.dot(p, ap);
            if (!(curvature > 0)) {
                return new Result(k == 1 ? b.clone() : x, k, Math.sqrt(rr) / bNorm, Stop.NEGATIVE_CURVATURE);
            }
            double alpha = rr / curvature;
            Vectors.axpy(alpha, p, x);
            Vectors.axpy(-alpha, ap, r);
            double rrNew = Vectors.dot(r, r);
            double rel = Math.sqrt(rrNew) / bNorm;
            listener.iteration(k, rel);
            if (rel <= tolerance) {
                return new Result(x, k, rel, Stop.CONVERGED);
            }
            double beta = rrNew / rr;
            for (int i = 0; i < n; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rr = rrNew;
        }
        return new Result(x, maxIterations, Math.sqrt(rr) / bNorm, Stop.MAX_ITERATIONS);
    }
}
