package org.heatwave.reg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every regulariser's gradient is exact (central differences in float64), and each measures what it says. */
class RegularizerTest {

    static Stream<Arguments> regularizers() {
        boolean[] mask = new boolean[40];
        for (int i = 0; i < mask.length; i += 3) {
            mask[i] = true;
        }
        return Stream.of(
                Arguments.of(new Tikhonov(0.3, mask)),
                Arguments.of(new ImageSmoothness(0.02, 4, 2, 3, 5)),
                Arguments.of(new TimeSmoothness(TimeSmoothness.Kind.QUADRATIC, 0.7, 3, 4, 9, 0.25, 1e-3)),
                Arguments.of(new TimeSmoothness(TimeSmoothness.Kind.TOTAL_VARIATION, 0.7, 3, 4, 9, 0.25, 0.1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regularizers")
    void gradientMatchesCentralDifferences(Regularizer r) {
        double[] theta = Fixtures.normal(40, 1, 5);
        double[] grad = new double[40];
        r.addGradient(theta, grad);
        double[] dir = Fixtures.normal(40, 1, 6);
        double slope = 0;
        for (int i = 0; i < 40; i++) {
            slope += grad[i] * dir[i];
        }
        double eps = 1e-5;
        double plus = r.addGradient(shift(theta, dir, eps), new double[40]);
        double minus = r.addGradient(shift(theta, dir, -eps), new double[40]);
        assertEquals(slope, (plus - minus) / (2 * eps), 1e-6 * (Math.abs(slope) + 1), r.describe());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regularizers")
    void hessianProductMatchesCentralDifferencesOfTheGradientAndIsSymmetricPsd(Regularizer r) {
        double[] theta = Fixtures.normal(40, 1, 5);
        double[] v = Fixtures.normal(40, 1, 6);
        double[] u = Fixtures.normal(40, 1, 7);
        double[] hv = new double[40];
        r.addHessianProduct(theta, v, hv);
        double eps = 1e-5;
        double[] gPlus = new double[40], gMinus = new double[40];
        r.addGradient(shift(theta, v, eps), gPlus);
        r.addGradient(shift(theta, v, -eps), gMinus);
        for (int i = 0; i < 40; i++) {
            assertEquals((gPlus[i] - gMinus[i]) / (2 * eps), hv[i], 1e-6 * (1 + Math.abs(hv[i])), r.describe() + " entry " + i);
        }
        double[] hu = new double[40];
        r.addHessianProduct(theta, u, hu);
        assertEquals(Fixtures.dot(u, hv), Fixtures.dot(v, hu),
                1e-10 * (1 + Math.abs(Fixtures.dot(u, hv))), "symmetric");
        assertTrue(Fixtures.dot(v, hv) >= -1e-12, "positive semi-definite");
    }

    @Test
    void theLaplacianOfAQuadraticIsItsSecondDerivative() {
        // u = (x·δ)² on a 6×7 grid, δ = 1/6: L u = 2 at interior points
        int h = 6;
        int w = 7;
        double[] u = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                u[y * w + x] = Math.pow(x / 6.0, 2);
            }
        }
        double[] lu = new double[h * w];
        new ImageSmoothness(1, 0, 1, h, w).laplacian(u, 0, lu, 0);
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                assertEquals(2, lu[y * w + x], 1e-9, "(" + y + ", " + x + ")");
            }
        }
        // smooth images are cheaper than rough ones
        double[] rough = Fixtures.normal(h * w, 0.1, 7);
        ImageSmoothness r = new ImageSmoothness(1, 0, 1, h, w);
        double[] smooth = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                smooth[y * w + x] = 0.1 * Math.sin(Math.PI * (y + 1) / (h + 1)) * Math.sin(Math.PI * (x + 1) / (w + 1));
            }
        }
        assertTrue(r.addGradient(smooth, new double[h * w]) < 0.1 * r.addGradient(rough, new double[h * w]));
    }

    @Test
    void totalVariationCountsJumpsAndQuadraticPenalisesThemSquared() {
        // one parameter, steps 0, 0, 1, 1: a single jump of 1
        double[] theta = {0, 0, 1, 1};
        double tv = new TimeSmoothness(TimeSmoothness.Kind.TOTAL_VARIATION, 1, 0, 4, 1, 0.5, 1e-6)
                .addGradient(theta, new double[4]);
        assertEquals(1 + 2e-6, tv, 1e-9);
        double quad = new TimeSmoothness(TimeSmoothness.Kind.QUADRATIC, 1, 0, 4, 1, 0.5, 1e-6)
                .addGradient(theta, new double[4]);
        assertEquals(0.5 * 1 / 0.5, quad, 1e-12);
    }

    private static double[] shift(double[] a, double[] d, double eps) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += eps * d[i];
        }
        return r;
    }
}
