package org.heatwave.opt;

/**
 * A step length along a descent direction {@code d} from {@code x}: {@code x⁺ = x + α d}.
 */
public interface LineSearch {

    /**
     * @param f0      {@code f(x)}
     * @param g0      {@code ∇f(x)}; {@code g0ᵀd < 0} is required
     * @param initial the first trial step (1 for Newton-type directions)
     */
    Step search(Objective f, double[] x, double f0, double[] g0, double[] d, double initial);

    /**
     * @param length      the accepted α (0 if none was found)
     * @param value       {@code f(x + αd)} (or {@code f0} if none was found)
     * @param evaluation  the full evaluation at {@code x + αd} when the search computed one (Wolfe), else null
     * @param evaluations objective evaluations used
     * @param accepted    whether the conditions hold at α
     */
    record Step(double length, double value, Evaluation evaluation, int evaluations, boolean accepted) {
    }

    /** {@code g0ᵀd}, checked to be negative. */
    static double slope(double[] g0, double[] d) {
        double s = org.heatwave.linalg.Vectors.dot(g0, d);
        if (!(s < 0)) {
            throw new IllegalArgumentException("not a descent direction: gᵀd = " + s);
        }
        return s;
    }
}
