package org.heatwave.linalg;

/**
 * A linear map {@code v ↦ A v} on {@code ℝⁿ}, applied without being formed — in heatwave typically a
 * Gauss–Newton operator {@code JᵀHJ} whose every application is a pass over data (one Spark job).
 * Operators handed to the solvers here are symmetric.
 */
@FunctionalInterface
public interface LinearOperator {

    /** Writes {@code A v} into {@code out} ({@code out} and {@code v} are distinct arrays of the same length). */
    void apply(double[] v, double[] out);

    /** {@code A + αI}. */
    default LinearOperator shifted(double alpha) {
        return (v, out) -> {
            apply(v, out);
            for (int i = 0; i < v.length; i++) {
                out[i] += alpha * v[i];
            }
        };
    }

    /** A dense symmetric or general matrix as an operator (tests, small problems). */
    static LinearOperator of(double[][] a) {
        return (v, out) -> {
            for (int i = 0; i < a.length; i++) {
                out[i] = Vectors.dot(a[i], v);
            }
        };
    }
}
