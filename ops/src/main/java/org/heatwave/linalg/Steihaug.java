package org.heatwave.linalg;

/**
 * Steihaug's truncated conjugate gradients for the trust-region subproblem
 * <pre>min_p  m(p) = gᵀp + ½ pᵀBp   subject to  ‖p‖ ≤ Δ</pre>
 * (Nocedal &amp; Wright, Alg. 7.2): CG from {@code p = 0} until the residual {@code ‖g + Bp‖} falls below
 * {@code tol·‖g‖}, the iterate leaves the trust region, or a direction of non-positive curvature appears —
 * in the last two cases it steps to the boundary along the current direction. {@code B} need not be
 * definite. The model decrease {@code −m(p)} is tracked exactly, for the trust-region ratio.
 */
public final class Steihaug {
    private final double tolerance;
    private final int maxIterations;

    public Steihaug(double tolerance, int maxIterations) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("Steihaug-CG tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Steihaug-CG needs at least 1 iteration, got " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** Why the iteration stopped. */
    public enum Stop { CONVERGED, BOUNDARY, NEGATIVE_CURVATURE, MAX_ITERATIONS }

    /**
     * @param step              p
     * @param predictedDecrease {@code −m(p) ≥ 0}
     * @param iterations        operator products used
     * @param relativeResidual  {@code ‖g + Bp‖/‖g‖} of the last interior iterate
     */
    public record Result(double[] step, double predictedDecrease, int iterations, double relativeResidual, Stop stop) {
    }

    public Result solve(LinearOperator b, double[] g, double radius) {
        return solve(b, g, radius, ConjugateGradient.Listener.NONE);
    }

    public Result solve(LinearOperator b, double[] g, double radius, ConjugateGradient.Listener listener) {
        if (!(radius > 0)) {
            throw new IllegalArgumentException("trust-region radius must be > 0, got " + radius);
        }
        int n = g.length;
        double[] z = new double[n];
        double gNorm = Vectors.norm(g);
        if (gNorm == 0) {
            return new Result(z, 0, 0, 0, Stop.CONVERGED);
        }
        double[] r = g.clone();
        double[] d = Vectors.scaled(-1, g);
        double[] bd = new double[n];
        double model = 0;
        double rr = gNorm * gNorm;
        for (int k = 1; k <= maxIterations; k++) {
            b.apply(d, bd);
            double dbd = Vectors.dot(d, bd);
            double dr = Vectors.dot(d, r);
            if (!(dbd > 0)) {
                double tau = toBoundary(z, d, radius);
                Vectors.axpy(tau, d, z);
                model += tau * dr + 0.5 * tau * tau * dbd;
                return new Result(z, -model, k, Math.sqrt(rr) / gNorm, Stop.NEGATIVE_CURVATURE);
            }
            double alpha = rr / dbd;
            double[] next = Vectors.plus(z, alpha, d);
            if (Vectors.norm(next) >= radius) {
                double tau = toBoundary(z, d, radius);
                Vectors.axpy(tau, d, z);
                model += tau * dr + 0.5 * tau * tau * dbd;
                return new Result(z, -model, k, Math.sqrt(rr) / gNorm, Stop.BOUNDARY);
            }
            z = next;
            model += alpha * dr + 0.5 * alpha * alpha * dbd;
            Vectors.axpy(alpha, bd, r);
            double rrNew = Vectors.dot(r, r);
            double rel = Math.sqrt(rrNew) / gNorm;
            listener.iteration(k, rel);
            if (rel <= tolerance) {
                return new Result(z, -model, k, rel, Stop.CONVERGED);
            }
            double beta = rrNew / rr;
            for (int i = 0; i < n; i++) {
                d[i] = -r[i] + beta * d[i];
            }
            rr = rrNew;
        }
        return new Result(z, -model, maxIterations, Math.sqrt(rr) / gNorm, Stop.MAX_ITERATIONS);
    }

    /** The τ ≥ 0 with {@code ‖z + τd‖ = Δ} (z inside the region). */
    static double toBoundary(double[] z, double[] d, double radius) {
        double dd = Vectors.dot(d, d), zd = Vectors.dot(z, d), zz = Vectors.dot(z, z);
        double disc = zd * zd + dd * (radius * radius - zz);
        return (-zd + Math.sqrt(Math.max(0, disc))) / dd;
    }
}
