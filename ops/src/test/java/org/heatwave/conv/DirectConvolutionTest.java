package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast direct method equals the reference sum; its vectorised kernel equals the plain one bit for bit. */
class DirectConvolutionTest {

    @ParameterizedTest(name = "{0}<-{1} k={2} on {3}x{4}, n={5}, {6}, stride {7}")
    @CsvSource({"16,16,3,7,7,6,PERIODIC,1", "5,3,3,6,5,3,PERIODIC,1", "32,17,5,8,9,4,PERIODIC,1",
            "3,1,3,28,28,2,PERIODIC,1", "20,12,1,4,4,5,PERIODIC,1", "8,8,3,6,6,5,PERIODIC,1",
            "40,33,3,9,8,3,PERIODIC,1", "16,16,3,7,7,6,ZERO,1", "6,5,5,7,6,3,ZERO,1", "9,4,3,8,8,3,PERIODIC,2",
            "9,4,3,7,9,3,PERIODIC,2", "7,6,3,7,8,2,ZERO,2", "5,3,5,9,9,2,ZERO,2", "4,6,1,7,7,3,ZERO,2",
            "32,32,3,10,11,4,ZERO,3", "64,48,3,6,7,5,PERIODIC,1", "80,64,3,5,6,6,ZERO,1"})
    void equalsTheReference(int cout, int cin, int k, int h, int w, int n, Boundary boundary, int stride) {
        DirectConvolution conv = new DirectConvolution(cout, cin, k, h, w, boundary, stride);
        double[] theta = Fixtures.normal(conv.paramCount(), 1, 21);
        DirectConvolution.Weights weights = conv.prepare(theta, 0);
        int ho = (h + stride - 1) / stride;
        int wo = (w + stride - 1) / stride;
        FeatureMap y = Fixtures.normal(h, w, n, cin, 22);
        FeatureMap g = Fixtures.normal(ho, wo, n, cout, 23);
        assertClose(DirectConv.apply(theta, 0, cout, k, boundary, stride, y), conv.apply(weights, y), "K y");
        assertClose(DirectConv.applyTranspose(theta, 0, cin, k, boundary, stride, h, w, g),
                conv.applyTranspose(weights, g), "Kᵀ g");
        double[] grad = new double[conv.paramCount()];
        conv.accumulateGradient(g, y, grad, 0);
        double err = Fixtures.relativeMaxError(DirectConv.paramGradient(g, y, k, boundary, stride), grad);
        assertTrue(err < 1e-4, "θ-gradient differs from the reference by " + err);
    }

    @ParameterizedTest(name = "rows={0} pixels={1} q={2}")
    @CsvSource({"10,18,16", "7,9,20", "12,13,33", "5,4,8", "9,7,64", "4,3,40", "32,40,32"})
    void vectorisedGradientPatternEqualsPlainBitForBit(int rows, int pixels, int q) {
        // the θ-gradient's use of the kernel: rows one float apart (channels of a pixel), inputs at scattered
        // pixel offsets (repeats allowed, as taps read the same pixel)
        float[] x = Fixtures.normal(pixels + 1, rows, 1, 1, 41).data();
        float[] g = Fixtures.normal(pixels, q, 1, 1, 42).data();
        int[] off = new int[pixels];
        for (int j = 0; j < pixels; j++) {
            off[j] = ((7 * j + 3) % (pixels + 1)) * rows;
        }
        float[] a = new float[3 + rows * q];
        float[] b = new float[3 + rows * q];
        DirectKernels.get().pixelAt(x, off, pixels, rows, 1, g, q, a, 3);
        DirectKernels.plain().pixelAt(x, off, pixels, rows, 1, g, q, b, 3);
        assertArrayEquals(b, a);
    }

    @ParameterizedTest(name = "n={0} p={1} q={2}")
    @CsvSource({"6,16,16", "5,3,20", "4,9,33", "1,1,16", "5,8,8", "3,4,24", "2,5,41", "9,7,32", "5,3,72"})
    void vectorisedEqualsPlainBitForBit(int n, int p, int q) {
        int taps = 9;
        float[] x = Fixtures.normal(4, 4, n, p, 31).data();
        float[] w = Fixtures.normal(taps, p, q, 1, 32).data();
        int[] src = new int[taps];
        for (int t = 0; t < taps; t++) {
            src[t] = t % 4 == 3 ? -1 : (t % 16) * n * p;
        }
        float[] a = new float[n * q];
        float[] b = new float[n * q];
        DirectKernels.get().pixel(x, src, taps, n, p, w, q, a, 0, new float[n * taps * p]);
        DirectKernels.plain().pixel(x, src, taps, n, p, w, q, b, 0, new float[n * taps * p]);
        assertArrayEquals(b, a);
    }

    @ParameterizedTest(name = "len={0}")
    @CsvSource({"1", "7", "16", "37", "1024"})
    void vectorisedMultiplyAddEqualsPlainBitForBit(int len) {
        float[] a = Fixtures.normal(1, 1, 1, len + 5, 61).data();
        float[] x = Fixtures.normal(1, 1, 1, len + 3, 62).data();
        float[] vector = Fixtures.normal(1, 1, 1, len, 63).data();
        float[] plain = vector.clone();
        DirectKernels.get().multiplyAdd(a, 5, x, 3, vector, len);
        DirectKernels.plain().multiplyAdd(a, 5, x, 3, plain, len);
        assertArrayEquals(plain, vector);
    }

    @ParameterizedTest(name = "n={0} p={1} q={2}")
    @CsvSource({"6,16,16", "5,3,20", "4,9,33", "1,1,16", "8,32,32", "3,4,24", "9,7,64"})
    void readingInPlaceEqualsTheGatherBitForBit(int n, int p, int q) {
        int taps = 9;
        float[] x = Fixtures.normal(4, 4, n, p, 51).data();
        float[] w = Fixtures.normal(taps, p, q, 1, 52).data();
        int[] src = new int[taps];
        int[] off = new int[taps * p];
        for (int t = 0; t < taps; t++) {
            src[t] = ((5 * t) % 16) * n * p;
            for (int a = 0; a < p; a++) {
                off[t * p + a] = src[t] + a;
            }
        }
        float[] gathered = new float[n * q];
        float[] inPlace = new float[n * q];
        float[] plain = new float[n * q];
        DirectKernels.get().pixel(x, src, taps, n, p, w, q, gathered, 0, new float[n * taps * p]);
        DirectKernels.get().pixelAt(x, off, taps * p, n, p, w, q, inPlace, 0);
        DirectKernels.plain().pixelAt(x, off, taps * p, n, p, w, q, plain, 0);
        assertArrayEquals(gathered, inPlace);
        assertArrayEquals(plain, inPlace);
    }

    private static void assertClose(FeatureMap expected, FeatureMap actual, String what) {
        double err = Fixtures.relativeMaxError(expected.data(), actual.data());
        assertTrue(err < 1e-5, what + ": direct method differs from the reference by " + err);
    }
}
