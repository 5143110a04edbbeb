package org.heatwave.opt;

import java.util.Map;
import org.heatwave.linalg.LinearOperator;

/**
 * What an {@link Objective} returns at a point: value, gradient and — for objectives that are a loss of a
 * model's outputs, {@code f(x) = Σ ℓ(F(x))} — the Gauss–Newton operator {@code JᵀHJ} ({@code J} the
 * Jacobian of the outputs, {@code H} the loss's Hessian in them: symmetric positive semi-definite for a
 * convex loss), applied matrix-free; plus diagnostics to log (accuracy, inner-solve iterations, …).
 */
public interface Evaluation {

    double value();

    /** The gradient (the caller may keep it; it is not modified afterwards). */
    double[] gradient();

    /** {@code JᵀHJ} at this point; each product is a pass over the examples. */
    default LinearOperator gaussNewton() {
        throw new UnsupportedOperationException("this objective has no Gauss-Newton operator");
    }

    /** Named numbers of this evaluation to report (none by default). */
    default Map<String, Double> diagnostics() {
        return Map.of();
    }

    /** A plain evaluation without curvature. */
    static Evaluation of(double value, double[] gradient) {
        return of(value, gradient, null, Map.of());
    }

    /** An evaluation with a Gauss–Newton operator. */
    static Evaluation of(double value, double[] gradient, LinearOperator gaussNewton) {
        return of(value, gradient, gaussNewton, Map.of());
    }

    /** An evaluation with a Gauss–Newton operator (null: none) and diagnostics. */
    static Evaluation of(double value, double[] gradient, LinearOperator gaussNewtonOrNull, Map<String, Double> diagnostics) {
        return new Values(value, gradient, gaussNewtonOrNull, Map.copyOf(diagnostics));
    }

    /** The evaluation as plain values ({@link #of}). */
    record Values(double value, double[] gradient, LinearOperator operator, Map<String, Double> diagnostics) implements Evaluation {
        @Override
        public LinearOperator gaussNewton() {
            if (operator == null) {
                throw new UnsupportedOperationException("this objective has no Gauss-Newton operator");
            }
            return operator;
        }
    }
}
