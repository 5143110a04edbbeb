package org.heatwave.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.multilevel.GridTransfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Galerkin coarse operator {@code K_H = R K_h P} and its inverse, coarse → fine. */
class GalerkinTest {

    @Test
    void seedsOneDimensionalMatrices() {
        // R K_h P for the three unit stencils on the seed's P (¾, ¼) and R (½, ½)
        assertArrayEquals(new double[] {0.5, 0.5, 0}, Galerkin.coarsen(new double[] {1, 0, 0}), 0.0);
        assertArrayEquals(new double[] {0.125, 0.75, 0.125}, Galerkin.coarsen(new double[] {0, 1, 0}), 0.0);
        assertArrayEquals(new double[] {0, 0.5, 0.5}, Galerkin.coarsen(new double[] {0, 0, 1}), 0.0);
    }

    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {3, 5})
    void coarseToFineThenFineToCoarseReturnsTheCoarseKernel(int k) {
        SplittableRandom r = new SplittableRandom(k);
        double[] coarse1 = random(r, k);
        assertArrayEquals(coarse1, Galerkin.coarsen(Galerkin.refine(coarse1)), 1e-12 * norm(coarse1));
        double[] coarse2 = random(r, k * k);
        assertArrayEquals(coarse2, Galerkin.coarsen2d(Galerkin.refine2d(coarse2)), 1e-12 * norm(coarse2));
        int pairs = 4;
        double[] kernel = random(r, 1 + k * k * pairs);
        double[] fine = Galerkin.kernel(kernel, 1, pairs, k, false);
        double[] back = Galerkin.kernel(fine, 0, pairs, k, true);
        assertArrayEquals(Arrays.copyOfRange(kernel, 1, kernel.length), back, 1e-12 * norm(kernel));
    }

    @Test
    void oneByOneStencilsAreRefused() {
        // R θI P = θ·RP = θ[1/8 3/4 1/8]: three points, not one
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Galerkin.coarsen(new double[] {2}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Galerkin.refine2d(new double[] {2}));
    }

    /** The product is what it says: R K_h P applied to a coarse image equals K_H applied to it (interior). */
    @Test
    void coarseStencilActsAsTheProduct() {
        SplittableRandom r = new SplittableRandom(9);
        int k = 3;
        int n = 12;
        double[] thetaFine = random(r, k * k);
        double[] thetaCoarse = Galerkin.coarsen2d(thetaFine);
        double[] y = random(r, n * n);
        double[] product = GridTransfer.average(correlate(thetaFine, GridTransfer.interpolate(y, n, n), 2 * n), 2 * n, 2 * n);
        double[] direct = correlate(thetaCoarse, y, n);
        for (int i = 2; i < n - 2; i++) {
            for (int j = 2; j < n - 2; j++) {
                assertTrue(Math.abs(product[i * n + j] - direct[i * n + j]) < 1e-12, "pixel " + i + "," + j);
            }
        }
    }

    /**
     * For a kernel that discretises a fixed differential operator (fixed β), the Galerkin coarse operator of
     * the fine kernel approximates the rediscretised coarse kernel on smooth images, with the error shrinking
     * at second order under refinement.
     */
    @Test
    void galerkinApproachesRediscretisationUnderRefinement() {
        double[] beta = {1, 0.5, -0.3, 0.25, 0.1, 0.05, 0.2, -0.1, 0.02};
        double previous = Double.NaN;
        for (int n = 16; n <= 128; n *= 2) {
            double h = 1.0 / n;
            double[] galerkin = Galerkin.coarsen2d(DifferentialBasis.stencil2d(beta, h / 2, h / 2));
            double[] rediscretised = DifferentialBasis.stencil2d(beta, h, h);
            double[] y = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double yy = (i + 0.5) * h;
                    double xx = (j + 0.5) * h;
                    y[i * n + j] = Math.sin(2 * Math.PI * xx) * Math.cos(2 * Math.PI * yy) + xx * yy;
                }
            }
            double[] a = correlate(galerkin, y, n);
            double[] b = correlate(rediscretised, y, n);
            double diff = 0;
            double ref = 0;
            for (int i = 2; i < n - 2; i++) {
                for (int j = 2; j < n - 2; j++) {
                    diff = Math.max(diff, Math.abs(a[i * n + j] - b[i * n + j]));
                    ref = Math.max(ref, Math.abs(b[i * n + j]));
                }
            }
            double rel = diff / ref;
            if (!Double.isNaN(previous)) {
                assertTrue(previous / rel > 3, "error ratio " + previous / rel + " at n=" + n + " (rel " + rel + ")");
            }
            previous = rel;
        }
        assertTrue(previous < 1e-3, "relative difference at n=128: " + previous);
    }

    private static double[] correlate(double[] theta, double[] y, int n) {
        int k = (int) Math.round(Math.sqrt(theta.length));
        int r = k / 2;
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        int yi = i + dy - r;
                        int xj = j + dx - r;
                        if (yi >= 0 && yi < n && xj >= 0 && xj < n) {
                            s += theta[dy * k + dx] * y[yi * n + xj];
                        }
                    }
                }
                z[i * n + j] = s;
            }
        }
        return z;
    }

    private static double[] random(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble() - 0.5;
        }
        return a;
    }

    private static double norm(double[] a) {
        return Math.sqrt(Arrays.stream(a).map(v -> v * v).sum());
    }
}
