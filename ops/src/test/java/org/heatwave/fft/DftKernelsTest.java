package org.heatwave.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectorised DFT kernels give the plain loops' results bit for bit, tails included. */
class DftKernelsTest {

    @ParameterizedTest(name = "m={0} len={1}")
    @CsvSource({"3,16", "13,128", "1,7", "27,100", "6,33"})
    void vectorisedEqualsPlainBitForBit(int m, int len) {
        SplittableRandom r = new SplittableRandom(m * 131L + len);
        float[][] ur = rows(r, m, len);
        float[][] ui = rows(r, m, len);
        float[][] vr = rows(r, m, len);
        float[][] vi = rows(r, m, len);
        float[] cos = row(r, 2 * m + 3);
        float[] sin = row(r, 2 * m + 3);
        float[][] start = rows(r, 4, len);
        float[][] a = copy(start);
        float[][] b = copy(start);
        DftKernels vector = DftKernels.get();
        assertNotSame(DftKernels.plain().getClass(), vector.getClass(), "tests run with the Vector API module");
        DftKernels plain = DftKernels.plain();
        vector.columns(a[0], a[1], a[2], a[3], ur, ui, vr, vi, cos, sin, 2, m, -1f, len);
        plain.columns(b[0], b[1], b[2], b[3], ur, ui, vr, vi, cos, sin, 2, m, -1f, len);
        vector.forwardRows(a[0], a[1], ur, vi, cos, sin, 1, 2, m, len);
        plain.forwardRows(b[0], b[1], ur, vi, cos, sin, 1, 2, m, len);
        vector.inverseRows(a[2], a[3], ui, vr, 0, cos, sin, 1, m, len);
        plain.inverseRows(b[2], b[3], ui, vr, 0, cos, sin, 1, m, len);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(b[i], a[i], "accumulator " + i);
        }
    }

    private static float[][] rows(SplittableRandom r, int m, int len) {
        float[][] x = new float[m][];
        for (int i = 0; i < m; i++) {
            x[i] = row(r, len);
        }
        return x;
    }

    private static float[] row(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int j = 0; j < len; j++) {
            x[j] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    private static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }
}
