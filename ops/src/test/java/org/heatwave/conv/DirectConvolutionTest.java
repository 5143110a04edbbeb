package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast direct method equals the reference sum; its vectorised kernel equals the plain one bit for bit. */
class DirectConvolutionTest {

    @ParameterizedTest(name = "{0}<-{1} k={2} on {3}x{4}, n={5}")
    @CsvSource({"16,16,3,7,7,6", "5,3,3,6,5,3", "32,17,5,8,9,4", "3,1,3,28,28,2", "20,12,1,4,4,5", "8,8,3,6,6,5"})
    void equalsTheReference(int cout, int cin, int k, int h, int w, int n) {
        DirectConvolution conv = new DirectConvolution(cout, cin, k, h, w);
        double[] theta = Fixtures.normal(conv.paramCount(), 1, 21);
        DirectConvolution.Weights weights = conv.prepare(theta, 0);
        FeatureMap y = Fixtures.normal(h, w, n, cin, 22);
        FeatureMap g = Fixtures.normal(h, w, n, cout, 23);
        assertClose(DirectConv.apply(theta, 0, cout, k, y), conv.apply(weights, y), "K y");
        assertClose(DirectConv.applyTranspose(theta, 0, cin, k, g), conv.applyTranspose(weights, g), "Kᵀ g");
        double[] grad = new double[conv.paramCount()];
        conv.accumulateGradient(g, y, grad, 0);
        double err = Fixtures.relativeMaxError(DirectConv.paramGradient(g, y, k), grad);
        assertTrue(err < 1e-4, "θ-gradient differs from the reference by " + err);
    }

    @ParameterizedTest(name = "rows={0} kk={1} q={2}")
    @CsvSource({"10,18,16", "7,9,20", "12,13,33", "5,4,8"})
    void vectorisedGradientEqualsPlainBitForBit(int rows, int kk, int q) {
        float[] col = Fixtures.normal(rows, kk, 1, 1, 41).data();
        float[] g = Fixtures.normal(rows, 2, q, 1, 42).data();
        float[] a = new float[kk * q];
        float[] b = new float[kk * q];
        DirectKernels.get().gradient(col, rows, kk, g, 1, 2 * q, q, a);
        DirectKernels.plain().gradient(col, rows, kk, g, 1, 2 * q, q, b);
        assertArrayEquals(b, a);
    }

    @ParameterizedTest(name = "n={0} p={1} q={2}")
    @CsvSource({"6,16,16", "5,3,20", "4,9,33", "1,1,16", "5,8,8", "3,4,24", "2,5,41"})
    void vectorisedEqualsPlainBitForBit(int n, int p, int q) {
        int taps = 9;
        float[] x = Fixtures.normal(4, 4, n, p, 31).data();
        float[] w = Fixtures.normal(taps, p, q, 1, 32).data();
        int[] src = new int[taps];
        for (int t = 0; t < taps; t++) {
            src[t] = (t % 16) * n * p;
        }
        float[] a = new float[n * q];
        float[] b = new float[n * q];
        DirectKernels.get().pixel(x, src, taps, n, p, w, q, a, 0, new float[n * taps * p]);
        DirectKernels.plain().pixel(x, src, taps, n, p, w, q, b, 0, new float[n * taps * p]);
        assertArrayEquals(b, a);
    }

    private static void assertClose(FeatureMap expected, FeatureMap actual, String what) {
        double err = Fixtures.relativeMaxError(expected.data(), actual.data());
        assertTrue(err < 1e-5, what + ": direct method differs from the reference by " + err);
    }
}
