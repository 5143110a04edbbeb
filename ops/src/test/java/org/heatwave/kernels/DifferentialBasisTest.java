package org.heatwave.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Seed 000's change of basis, its example, and the limits of the three operators. */
class DifferentialBasisTest {

    /** Seed 000, "Scaling Convolution Operators: Rediscretization": n = 8, θ_coarse = (−67, 129, −59). */
    @Test
    void seedExampleIsReproducedExactly() {
        double hc = 1.0 / 8;
        double hf = 1.0 / 16;
        double[] thetaCoarse = {-67, 129, -59};
        // step 1: set up A(h_c) and compute β
        double[] beta = DifferentialBasis.coefficients(thetaCoarse, hc);
        assertArrayEquals(new double[] {3, 1, 255.0 / 256}, beta, 0.0);
        assertArrayEquals(thetaCoarse, DifferentialBasis.stencil(beta, hc), 0.0, "A(h_c) β = θ_coarse");
        // step 2: set up A(h_f) and compute θ_fine
        double[] thetaFine = DifferentialBasis.stencil(beta, hf);
        assertArrayEquals(new double[] {-262.25, 511.5, -246.25}, thetaFine, 0.0);
        assertArrayEquals(thetaFine, Rediscretisation.stencil(thetaCoarse, hc, hf), 0.0);
        assertArrayEquals(thetaCoarse, Rediscretisation.stencil(thetaFine, hf, hc), 0.0, "and back");
    }

    @Test
    void inverseIsTheInverse() {
        for (double h : new double[] {1, 0.125, 1.0 / 28, 0.3}) {
            double[][] a = DifferentialBasis.matrix(h);
            double[][] inv = DifferentialBasis.inverse(h);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int m = 0; m < 3; m++) {
                        s += inv[i][m] * a[m][j];
                    }
                    assertEquals(i == j ? 1 : 0, s, 1e-12, "A⁻¹A at " + i + "," + j + " for h=" + h);
                }
            }
        }
    }

    /**
     * On the seed's function y(x) = cos(2πx⁴) + x − 0.8(x − 0.5)², sampled at cell centres, the three
     * operators tend to y, y' and −y'' with error O(h²): each refinement divides the error by about 4.
     */
    @Test
    void operatorsConvergeToDerivativesAtSecondOrder() {
        DoubleUnaryOperator y = x -> Math.cos(2 * Math.PI * Math.pow(x, 4)) + x - 0.8 * (x - 0.5) * (x - 0.5);
        DoubleUnaryOperator dy = x -> -Math.sin(2 * Math.PI * Math.pow(x, 4)) * 8 * Math.PI * x * x * x + 1 - 1.6 * (x - 0.5);
        DoubleUnaryOperator d2y = x -> -Math.cos(2 * Math.PI * Math.pow(x, 4)) * Math.pow(8 * Math.PI * x * x * x, 2)
                - Math.sin(2 * Math.PI * Math.pow(x, 4)) * 24 * Math.PI * x * x - 1.6;
        DoubleUnaryOperator[] limits = {y, dy, x -> -d2y.applyAsDouble(x)};
        for (int op = 0; op < 3; op++) {
            double previous = Double.NaN;
            for (int n = 512; n <= 4096; n *= 2) {
                double h = 1.0 / n;
                double[] beta = new double[3];
                beta[op] = 1;
                double[] theta = DifferentialBasis.stencil(beta, h);
                double err = 0;
                for (int i = 1; i < n - 1; i++) {
                    double x = (i + 0.5) * h;
                    double k = theta[0] * y.applyAsDouble(x - h) + theta[1] * y.applyAsDouble(x) + theta[2] * y.applyAsDouble(x + h);
                    err = Math.max(err, Math.abs(k - limits[op].applyAsDouble(x)));
                }
                if (!Double.isNaN(previous)) {
                    double ratio = previous / err;
                    assertTrue(ratio > 3.5 && ratio < 4.5, "operator " + op + ": error ratio " + ratio + " at n=" + n);
                }
                previous = err;
            }
        }
    }

    @Test
    void twoDimensionalBasisIsTheTensorProduct() {
        SplittableRandom r = new SplittableRandom(3);
        double hy = 1.0 / 14;
        double hx = 1.0 / 28;
        double[] beta = new double[9];
        for (int i = 0; i < 9; i++) {
            beta[i] = r.nextDouble() - 0.5;
        }
        double[] theta = DifferentialBasis.stencil2d(beta, hy, hx);
        assertArrayEquals(beta, DifferentialBasis.coefficients2d(theta, hy, hx), 1e-12);
        // ∂x∂y alone is the outer product of the two central differences
        double[] mixed = DifferentialBasis.stencil2d(unit(9, DifferentialBasis.OPERATORS_2D.indexOf("∂x∂y")), hy, hx);
        double[] d = {-1, 0, 1};
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                assertEquals(d[dy] / (2 * hy) * d[dx] / (2 * hx), mixed[dy * 3 + dx], 1e-9);
            }
        }
        // the identity operator is the 2-D average [1 2 1]ᵀ[1 2 1]/16
        double[] avg = DifferentialBasis.stencil2d(unit(9, 0), hy, hx);
        assertArrayEquals(new double[] {1 / 16.0, 2 / 16.0, 1 / 16.0, 2 / 16.0, 4 / 16.0, 2 / 16.0, 1 / 16.0, 2 / 16.0, 1 / 16.0}, avg, 0.0);
    }

    @Test
    void multichannelRediscretisationMovesEveryPair() {
        SplittableRandom r = new SplittableRandom(5);
        int pairs = 6;
        double[] theta = new double[2 + 9 * pairs];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextDouble();
        }
        double[] fine = Rediscretisation.kernel(theta, 2, pairs, 14, 14, 28, 28);
        double[] back = Rediscretisation.kernel(fine, 0, pairs, 28, 28, 14, 14);
        for (int p = 0; p < pairs; p++) {
            double[] one = java.util.Arrays.copyOfRange(theta, 2 + 9 * p, 2 + 9 * p + 9);
            assertArrayEquals(Rediscretisation.stencil2d(one, 1 / 14.0, 1 / 14.0, 1 / 28.0, 1 / 28.0),
                    java.util.Arrays.copyOfRange(fine, 9 * p, 9 * p + 9), 0.0);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(back, 9 * p, 9 * p + 9), 1e-9);
        }
        assertThrows(IllegalArgumentException.class, () -> Rediscretisation.kernel(theta, 3, pairs, 14, 14, 28, 28));
        assertThrows(IllegalArgumentException.class, () -> DifferentialBasis.matrix(0));
    }

    private static double[] unit(int n, int i) {
        double[] u = new double[n];
        u[i] = 1;
        return u;
    }
}
