package org.heatwave.opt;

import org.heatwave.linalg.LinearOperator;

/**
 * A smooth objective {@code f : ℝⁿ → ℝ} on a fixed set of examples — the seam between the optimisers and
 * where the sums run (DESIGN.md §3): the same optimiser code runs on a local objective in the unit tests
 * and on the Spark one, whose every {@link #evaluate} and every Gauss–Newton product is one job.
 */
public interface Objective {

    int dimension();

    /** Value, gradient and (if the objective has one) the Gauss–Newton operator at {@code x} (not modified). */
    Evaluation evaluate(double[] x);

    /**
     * The Gauss–Newton operator at {@code x} alone, without value or gradient: the curvature of a subsample while the
     * gradient comes from a larger sample (subsampled curvature, {@link GaussNewton}). An objective may compute it
     * more cheaply than {@link #evaluate}; the products are the same.
     */
    default LinearOperator gaussNewton(double[] x) {
        return evaluate(x).gaussNewton();
    }

    /** The value alone, for line searches (an objective may compute it more cheaply). */
    default double value(double[] x) {
        return evaluate(x).value();
    }
}
