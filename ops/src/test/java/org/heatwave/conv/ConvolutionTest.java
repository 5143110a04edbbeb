package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both methods (FFT and direct) equal the direct reference sum for every boundary condition and stride,
 * odd and even sizes, 1×1, 3×3 and 5×5 stencils: forward, transpose and θ-gradient.
 */
class ConvolutionTest {

    @ParameterizedTest(name = "{0}<-{1} k={2} on {3}x{4} {5} stride {6} by {7}")
    @CsvSource({
        "3,2,3,8,8,PERIODIC,1,FFT", "3,2,3,7,9,ZERO,1,FFT", "2,3,5,9,8,ZERO,1,FFT", "2,2,5,6,7,PERIODIC,1,FFT",
        "3,2,3,8,8,PERIODIC,2,FFT", "2,3,3,7,9,ZERO,2,FFT", "2,2,5,9,10,ZERO,2,FFT", "3,2,1,7,6,ZERO,2,POINTWISE",
        "4,3,1,5,5,PERIODIC,1,POINTWISE", "2,1,3,28,28,ZERO,1,FFT", "3,2,1,7,6,ZERO,2,DIRECT", "5,4,1,6,6,PERIODIC,1,DIRECT",
        "3,2,3,8,8,PERIODIC,1,DIRECT", "17,16,3,7,9,ZERO,1,DIRECT", "32,3,5,9,8,ZERO,1,DIRECT",
        "3,2,3,8,8,PERIODIC,2,DIRECT", "16,32,3,7,9,ZERO,2,DIRECT", "2,2,5,9,10,ZERO,2,DIRECT"})
    void everyMethodEqualsTheReference(int cout, int cin, int k, int h, int w, Boundary b, int s,
                                       Convolution.Method method) {
        int n = 2;
        Convolution conv = new Convolution(cout, cin, k, h, w, b, s, method);
        double[] theta = Fixtures.normal(conv.paramCount(), 1, 11);
        PreparedKernel prepared = conv.prepare(theta, 0);
        FeatureMap y = Fixtures.normal(h, w, n, cin, 12);
        FeatureMap g = Fixtures.normal(conv.outputH(), conv.outputW(), n, cout, 13);

        assertClose(DirectConv.apply(theta, 0, cout, k, b, s, y).data(), conv.apply(prepared, y).data(), "S K y");
        assertClose(DirectConv.applyTranspose(theta, 0, cin, k, b, s, h, w, g).data(),
                conv.applyTranspose(prepared, g).data(), "Kᵀ Sᵀ g");
        double[] grad = new double[conv.paramCount()];
        conv.accumulateGradient(g, y, grad, 0);
        double err = Fixtures.relativeMaxError(DirectConv.paramGradient(g, y, k, b, s), grad);
        assertTrue(err < 1e-4, "θ-gradient differs from direct by " + err);
    }

    @Test
    void zeroBoundaryReadsZerosBeyondTheEdge() {
        // a stencil that reads only the left neighbour: the first column sees the zero beyond the edge
        int w = 5;
        double[] theta = new double[9];
        theta[Stencil.index(1, 3, 0, 0, 1, 0)] = 1;
        FeatureMap y = new FeatureMap(3, w, 1, 1);
        java.util.Arrays.fill(y.data(), 1f);
        Convolution zero = new Convolution(1, 1, 3, 3, w, Boundary.ZERO, 1);
        Convolution periodic = new Convolution(1, 1, 3, 3, w);
        FeatureMap z0 = zero.apply(zero.prepare(theta, 0), y);
        FeatureMap zp = periodic.apply(periodic.prepare(theta, 0), y);
        for (int r = 0; r < 3; r++) {
            assertEquals(0f, z0.data()[r * w], 1e-6, "row " + r + " col 0, zero boundary");
            assertEquals(1f, zp.data()[r * w], 1e-6, "row " + r + " col 0, periodic");
            assertEquals(1f, z0.data()[r * w + 2], 1e-6, "interior");
        }
    }

    @Test
    void theChoiceFollowsTheMeasuredCrossover() {
        // BENCHMARKS.md, "Choosing the method": 3x3 goes direct except on small periodic images, 5x5 mostly FFT
        assertEquals(Convolution.Method.FFT, choose(128, 7, 3, 1));
        assertEquals(Convolution.Method.DIRECT, choose(32, 28, 3, 1));
        assertEquals(Convolution.Method.DIRECT, choose(32, 56, 3, 1));
        assertEquals(Convolution.Method.DIRECT, choose(128, 28, 3, 1));
        assertEquals(Convolution.Method.FFT, choose(32, 28, 5, 1));
        assertEquals(Convolution.Method.DIRECT, choose(32, 14, 5, 2));
        assertEquals(Convolution.Method.DIRECT, Convolution.Method.choose(32, 32, 3, 7, 7, Boundary.ZERO, 1),
                "a zero boundary makes the FFT pad even small images");
        assertEquals(Convolution.Method.FFT, choose(8, 28, 3, 1), "channel counts off the vector width");
        assertEquals(Convolution.Method.DIRECT, choose(32, 28, 1, 1), "1x1 runs register-blocked too");
        assertEquals(Convolution.Method.DIRECT, choose(64, 28, 3, 2), "a stride divides the direct work");
        // the two layers LayerDerivativeTest checks by the direct method
        assertEquals(Convolution.Method.DIRECT, Convolution.Method.choose(16, 16, 3, 10, 11, Boundary.PERIODIC, 1));
        assertEquals(Convolution.Method.DIRECT, Convolution.Method.choose(32, 16, 3, 12, 10, Boundary.PERIODIC, 2));
    }

    private static Convolution.Method choose(int width, int size, int k, int stride) {
        return Convolution.Method.choose(width, width, k, size, size, Boundary.PERIODIC, stride);
    }

    @Test
    void aMethodMustFitTheStencil() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Convolution(2, 2, 3, 8, 8, Boundary.ZERO, 1, Convolution.Method.POINTWISE));
        assertTrue(e.getMessage().contains("3x3"), e.getMessage());
    }

    @Test
    void wrongShapesAreNamed() {
        Convolution conv = new Convolution(2, 3, 3, 8, 8, Boundary.ZERO, 2);
        PreparedKernel prepared = conv.prepare(new double[conv.paramCount()], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.applyTranspose(prepared, new FeatureMap(8, 8, 1, 2)));
        assertTrue(e.getMessage().contains("4x4x2") && e.getMessage().contains("stride 2"), e.getMessage());
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": sizes");
        double err = Fixtures.relativeMaxError(expected, actual);
        assertTrue(err < 1e-5, what + ": FFT differs from direct by " + err);
    }
}
