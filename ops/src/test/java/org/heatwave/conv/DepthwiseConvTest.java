package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The depthwise convolution equals the direct reference sum of the full convolution with the
 * channel-diagonal stencil (forward, transpose, θ-gradient), for the 5-point cross and full stencils, odd
 * and even grids; and its gradient of one example does not depend on the others in the batch.
 */
class DepthwiseConvTest {
    private static final int[] FIVE_POINT = {1, 3, 4, 5, 7};

    @ParameterizedTest(name = "{0} channels, {1}x{1}, 5-point {2}, on {3}x{4}")
    @CsvSource({"3,3,true,8,8", "4,3,false,7,9", "2,5,false,6,5", "16,3,true,5,6"})
    void equalsTheFullConvolutionWithTheDiagonalStencil(int c, int k, boolean fivePoint, int h, int w) {
        int[] taps = fivePoint ? FIVE_POINT : IntStream.range(0, k * k).toArray();
        DepthwiseConv dw = new DepthwiseConv(c, k, taps);
        double[] d = Fixtures.normal(dw.paramCount(), 1, 3);
        double[] full = new double[Stencil.paramCount(c, c, k)];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < taps.length; t++) {
                full[Stencil.index(c, k, ch, ch, taps[t] / k, taps[t] % k)] = d[ch * taps.length + t];
            }
        }
        int n = 3;
        FeatureMap y = Fixtures.normal(h, w, n, c, 4);
        FeatureMap g = Fixtures.normal(h, w, n, c, 5);
        float[] df = org.heatwave.tensor.Floats.of(d, 0, d.length);

        assertClose(DirectConv.apply(full, 0, c, k, Boundary.PERIODIC, 1, y).data(), dw.apply(df, y).data(), "D y");
        assertClose(DirectConv.applyTranspose(full, 0, c, k, Boundary.PERIODIC, 1, h, w, g).data(),
                dw.applyTranspose(df, g).data(), "Dᵀ g");
        double[] fullGrad = DirectConv.paramGradient(g, y, k, Boundary.PERIODIC, 1);
        double[] expected = new double[dw.paramCount()];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < taps.length; t++) {
                expected[ch * taps.length + t] = fullGrad[Stencil.index(c, k, ch, ch, taps[t] / k, taps[t] % k)];
            }
        }
        double[] grad = new double[dw.paramCount()];
        dw.accumulateGradient(g, y, grad, 0);
        double err = Fixtures.relativeMaxError(expected, grad);
        assertTrue(err < 1e-5, "gradient differs from the reference by " + err);
    }

    @Test
    void anExamplesGradientDoesNotDependOnItsBatch() {
        int c = 4, h = 9, w = 9;
        DepthwiseConv dw = new DepthwiseConv(c, 3, FIVE_POINT);
        FeatureMap y = Fixtures.normal(h, w, 2, c, 7);
        FeatureMap g = Fixtures.normal(h, w, 2, c, 8);
        double[] together = new double[dw.paramCount()];
        dw.accumulateGradient(g, y, together, 0);
        double[] apart = new double[dw.paramCount()];
        dw.accumulateGradient(example(g, 0), example(y, 0), apart, 0);
        dw.accumulateGradient(example(g, 1), example(y, 1), apart, 0);
        assertArrayEquals(together, apart, 1e-12);
    }

    @Test
    void rejectsTapsOutsideTheStencilAndWrongWeightCounts() {
        assertThrows(IllegalArgumentException.class, () -> new DepthwiseConv(2, 3, new int[] {9}));
        DepthwiseConv dw = new DepthwiseConv(2, 3, FIVE_POINT);
        FeatureMap y = new FeatureMap(4, 4, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> dw.apply(new float[9], y));
        assertThrows(IllegalArgumentException.class, () -> dw.apply(new float[10], new FeatureMap(4, 4, 1, 3)));
    }

    /** Example {@code i} of {@code f} as a batch of one. */
    private static FeatureMap example(FeatureMap f, int i) {
        FeatureMap one = new FeatureMap(f.h(), f.w(), 1, f.c());
        for (int p = 0; p < f.pixels(); p++) {
            System.arraycopy(f.data(), (p * f.n() + i) * f.c(), one.data(), p * f.c(), f.c());
        }
        return one;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double err = Fixtures.relativeMaxError(expected, actual);
        assertTrue(err < 1e-5, what + " differs from the reference by " + err);
    }
}
