package org.heatwave.testkit;

import java.util.SplittableRandom;
import org.heatwave.linalg.Vectors;

/** Dense test matrices with known spectra, for the solvers' and optimisers' reference problems. */
public final class Matrices {
    private Matrices() {
    }

    /** {@code Q diag(λ) Qᵀ} with λ log-spaced from 1 to {@code condition}, Q a random orthogonal matrix. */
    public static double[][] spd(int n, double condition, long seed) {
        double[][] q = orthogonal(n, seed);
        double[][] a = new double[n][n];
        for (int k = 0; k < n; k++) {
            double lambda = Math.pow(condition, k / (double) (n - 1));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += lambda * q[i][k] * q[j][k];
                }
            }
        }
        return a;
    }

    /** Gram–Schmidt on a Gaussian matrix: columns orthonormal. */
    public static double[][] orthogonal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] cols = new double[n][n];
        for (int k = 0; k < n; k++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextDouble() - 0.5;
            }
            for (int j = 0; j < k; j++) {
                Vectors.axpy(-Vectors.dot(cols[j], v), cols[j], v);
            }
            cols[k] = Vectors.scaled(1 / Vectors.norm(v), v);
        }
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                q[i][k] = cols[k][i];
            }
        }
        return q;
    }
}
