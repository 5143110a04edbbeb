package org.heatwave.stability;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * The stability toolkit (seeds 000 and 004): the Jacobian of a layer or block at a state, densely, and its
 * eigenvalues — purely imaginary for antisymmetric and Hamiltonian right-hand sides, real and
 * non-positive for the parabolic one — and the growth of a perturbation across depth,
 * {@code ‖Y_j − Y_{ε,j}‖ / ‖Y_0 − Y_{ε,0}‖}.
 */
public final class Stability {
    /** Largest state (values) whose Jacobian is formed densely. */
    public static final int MAX_DENSE = 4096;

    private Stability() {
    }

    /**
     * {@code J = ∂F/∂Y} at the forward pass {@code trace} of {@code bound}, column by column with the
     * tangent pass ({@code dθ = 0}): {@code J[i][j]}, {@code i} over the output's values, {@code j} over the
     * input's.
     */
    public static double[][] jacobian(Layer.Bound bound, Layer.Trace trace, FeatureMap input, int paramCount) {
        int m = input.data().length;
        if (m > MAX_DENSE) {
            throw new IllegalArgumentException("a dense Jacobian of " + m + " inputs is too large (at most " + MAX_DENSE
                    + "): use fewer examples, channels or pixels");
        }
        int rows = trace.output().data().length;
        double[][] j = new double[rows][m];
        double[] zero = new double[paramCount];
        for (int col = 0; col < m; col++) {
            FeatureMap e = input.zerosLike();
            e.data()[col] = 1;
            float[] out = bound.jvp(trace, zero, 0, e).data();
            for (int r = 0; r < rows; r++) {
                j[r][col] = out[r];
            }
        }
        return j;
    }

    /** The eigenvalues of a square matrix: {@code [0]} real parts, {@code [1]} imaginary parts. */
    public static double[][] eigenvalues(double[][] a) {
        if (a.length != a[0].length) {
            throw new IllegalArgumentException("eigenvalues need a square matrix, got " + a.length + "x" + a[0].length);
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
        return new double[][] {eig.getRealEigenvalues(), eig.getImagEigenvalues()};
    }

    /**
     * {@code ‖a_j − b_j‖ / ‖a_0 − b_0‖} for two trajectories of the same length (states after each step or
     * layer, the inputs first).
     */
    public static double[] perturbationGrowth(List<FeatureMap> a, List<FeatureMap> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("trajectories of " + a.size() + " and " + b.size() + " states");
        }
        double d0 = distance(a.get(0), b.get(0));
        if (!(d0 > 0)) {
            throw new IllegalArgumentException("the two trajectories start at the same state");
        }
        double[] growth = new double[a.size()];
        for (int j = 0; j < growth.length; j++) {
            growth[j] = distance(a.get(j), b.get(j)) / d0;
        }
        return growth;
    }

    private static double distance(FeatureMap a, FeatureMap b) {
        a.requireSameDims(b, "perturbation growth");
        double s = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
