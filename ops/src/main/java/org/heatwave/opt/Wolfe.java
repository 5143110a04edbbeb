package org.heatwave.opt;

import org.heatwave.linalg.Vectors;

/**
 * A step satisfying the strong Wolfe conditions
 * <pre>f(x + αd) ≤ f(x) + c₁ α ∇f(x)ᵀd,    |∇f(x + αd)ᵀd| ≤ c₂ |∇f(x)ᵀd|</pre>
 * by bracketing and zoom (Nocedal &amp; Wright, Alg. 3.5 and 3.6; trial steps in the bracket by safeguarded
 * cubic interpolation). What quasi-Newton methods need for their curvature pairs ({@code sᵀy > 0}).
 */
public final class Wolfe implements LineSearch {
    private final double c1;
    private final double c2;
    private final int maxEvaluations;

    /** {@code c₁ = 1e-4}, {@code c₂ = 0.9} (quasi-Newton), at most 25 evaluations. */
    public Wolfe() {
        this(1e-4, 0.9, 25);
    }

    public Wolfe(double c1, double c2, int maxEvaluations) {
        if (!(0 < c1 && c1 < c2 && c2 < 1) || maxEvaluations < 2) {
            throw new IllegalArgumentException("Wolfe needs 0 < c1 < c2 < 1 and >= 2 evaluations; got " + c1 + ", " + c2
                    + ", " + maxEvaluations);
        }
        this.c1 = c1;
        this.c2 = c2;
        this.maxEvaluations = maxEvaluations;
    }

    /** A trial point: step, value, directional derivative, evaluation. */
    private record Point(double alpha, double value, double slope, Evaluation evaluation) {
    }

    @Override
    public Step search(Objective f, double[] x, double f0, double[] g0, double[] d, double initial) {
        double slope0 = LineSearch.slope(g0, d);
        Point lo = new Point(0, f0, slope0, null);
        double alpha = initial;
        int used = 0;
        Point previous = lo;
        while (used < maxEvaluations) {
            Point p = at(f, x, d, alpha);
            used++;
            if (p.value() > f0 + c1 * alpha * slope0 || (used > 1 && p.value() >= previous.value())) {
                return zoom(f, x, d, f0, slope0, previous, p, used);
            }
            if (Math.abs(p.slope()) <= -c2 * slope0) {
                return new Step(alpha, p.value(), p.evaluation(), used, true);
            }
            if (p.slope() >= 0) {
                return zoom(f, x, d, f0, slope0, p, previous, used);
            }
            previous = p;
            alpha *= 2;
        }
        return fallback(previous, f0, used);
    }

    /** Alg. 3.6: {@code lo} satisfies sufficient decrease with the lower value; the minimiser lies between lo and hi. */
    private Step zoom(Objective f, double[] x, double[] d, double f0, double slope0, Point lo, Point hi, int used) {
        while (used < maxEvaluations) {
            double alpha = interpolate(lo, hi);
            Point p = at(f, x, d, alpha);
            used++;
            if (p.value() > f0 + c1 * alpha * slope0 || p.value() >= lo.value()) {
                hi = p;
            } else {
                if (Math.abs(p.slope()) <= -c2 * slope0) {
                    return new Step(alpha, p.value(), p.evaluation(), used, true);
                }
                if (p.slope() * (hi.alpha() - lo.alpha()) >= 0) {
                    hi = lo;
                }
                lo = p;
            }
            if (Math.abs(hi.alpha() - lo.alpha()) <= 1e-12 * Math.max(1, lo.alpha())) {
                break;
            }
        }
        return fallback(lo, f0, used);
    }

    /** The best sufficient-decrease point found, flagged as not satisfying both conditions. */
    private static Step fallback(Point best, double f0, int used) {
        return best.alpha() > 0 && best.value() < f0
                ? new Step(best.alpha(), best.value(), best.evaluation(), used, false)
                : new Step(0, f0, null, used, false);
    }

    /** The minimiser of the cubic through both points' values and slopes, kept inside the middle 80 % of the bracket. */
    static double interpolate(Point a, Point b) {
        double lo = Math.min(a.alpha(), b.alpha()), hi = Math.max(a.alpha(), b.alpha());
        double d1 = a.slope() + b.slope() - 3 * (a.value() - b.value()) / (a.alpha() - b.alpha());
        double disc = d1 * d1 - a.slope() * b.slope();
        double t = Double.NaN;
        if (disc >= 0) {
            double d2 = Math.signum(b.alpha() - a.alpha()) * Math.sqrt(disc);
            t = b.alpha() - (b.alpha() - a.alpha()) * (b.slope() + d2 - d1) / (b.slope() - a.slope() + 2 * d2);
        }
        double margin = 0.1 * (hi - lo);
        if (!(t >= lo + margin && t <= hi - margin)) {
            t = 0.5 * (lo + hi);
        }
        return t;
    }

    private static Point at(Objective f, double[] x, double[] d, double alpha) {
        Evaluation e = f.evaluate(Vectors.plus(x, alpha, d));
        return new Point(alpha, e.value(), Vectors.dot(e.gradient(), d), e);
    }
}
