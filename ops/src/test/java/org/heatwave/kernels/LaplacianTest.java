package org.heatwave.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.tensor.FeatureMap;
import org.junit.jupiter.api.Test;

/** The discrete Laplacian: the seed's Kronecker form, symmetry, second-order accuracy, as a convolution. */
class LaplacianTest {

    @Test
    void equalsTheSeedsKroneckerConstruction() {
        // L = kron(I_{m2}, L1D(m1, h1)) + kron(L1D(m2, h2), I_{m1}), L1D = spdiags([1 −2 1])/h², zero boundary
        int h = 4, w = 5;
        double hy = 0.25, hx = 0.2;
        SplittableRandom r = new SplittableRandom(1);
        double[] y = new double[h * w];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble();
        }
        double[] l = Laplacian.apply(y, h, w, hy, hx, Boundary.ZERO);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double expected = 0;
                for (int jj = 0; jj < w; jj++) {
                    expected += secondDifference(j, jj) / (hx * hx) * y[i * w + jj];
                }
                for (int ii = 0; ii < h; ii++) {
                    expected += secondDifference(i, ii) / (hy * hy) * y[ii * w + j];
                }
                assertEquals(expected, l[i * w + j], 1e-12);
            }
        }
    }

    @Test
    void symmetricForBothBoundariesAndAnnihilatesConstantsWhenPeriodic() {
        SplittableRandom r = new SplittableRandom(2);
        int h = 6, w = 7;
        double[] x = new double[h * w];
        double[] y = new double[h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble();
            y[i] = r.nextDouble();
        }
        for (Boundary b : Boundary.values()) {
            assertEquals(dot(Laplacian.apply(x, h, w, 0.1, 0.2, b), y), dot(x, Laplacian.apply(y, h, w, 0.1, 0.2, b)), 1e-9, b.name());
        }
        double[] ones = new double[h * w];
        java.util.Arrays.fill(ones, 3);
        for (double v : Laplacian.apply(ones, h, w, 0.1, 0.1, Boundary.PERIODIC)) {
            assertEquals(0, v, 1e-9);
        }
    }

    @Test
    void secondOrderAccurateOnSmoothImages() {
        double previous = Double.NaN;
        for (int n = 16; n <= 128; n *= 2) {
            double hh = 1.0 / n;
            double[] y = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    y[i * n + j] = Math.sin(2 * Math.PI * (j + 0.5) * hh) * Math.cos(2 * Math.PI * (i + 0.5) * hh);
                }
            }
            double[] l = Laplacian.apply(y, n, n, hh, hh, Boundary.PERIODIC);
            double err = 0;
            for (int k = 0; k < l.length; k++) {
                err = Math.max(err, Math.abs(l[k] + 8 * Math.PI * Math.PI * y[k]));
            }
            if (!Double.isNaN(previous)) {
                assertTrue(previous / err > 3.8, "error ratio " + previous / err);
            }
            previous = err;
        }
    }

    @Test
    void asAConvolutionKernel() {
        int h = 6, w = 5, c = 2;
        double hy = 0.5, hx = 0.25;
        Convolution conv = new Convolution(c, c, 3, h, w, Boundary.ZERO, 1);
        FeatureMap y = new FeatureMap(h, w, 1, c);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] = (float) r.nextDouble();
        }
        FeatureMap z = conv.apply(conv.prepare(Laplacian.kernel(c, hy, hx), 0), y);
        for (int ch = 0; ch < c; ch++) {
            double[] plane = new double[h * w];
            for (int p = 0; p < h * w; p++) {
                plane[p] = y.data()[p * c + ch];
            }
            double[] l = Laplacian.apply(plane, h, w, hy, hx, Boundary.ZERO);
            for (int p = 0; p < h * w; p++) {
                assertEquals(l[p], z.data()[p * c + ch], 1e-4 * Math.max(1, Math.abs(l[p])));
            }
        }
    }

    private static double secondDifference(int i, int j) {
        return i == j ? -2 : Math.abs(i - j) == 1 ? 1 : 0;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
