package org.heatwave.fft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.jtransforms.fft.DoubleFFT_2D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Dft2Test {

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"7,7", "8,8", "14,14", "28,28", "5,6", "6,5"})
    void forwardMatchesJTransformsAndInverseRoundTrips(int h, int w) {
        int n = 2, c = 3;
        FeatureMap x = Fixtures.normal(h, w, n, c, 42);
        Dft2 dft = new Dft2(h, w);
        Spectrum s = dft.forward(x);
        int wf = w / 2 + 1;
        double maxErr = 0, maxVal = 0;
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double[] full = new double[h * 2 * w];
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        full[y * 2 * w + 2 * xx] = x.data()[((y * w + xx) * n + i) * c + ch];
                    }
                }
                new DoubleFFT_2D(h, w).complexForward(full);
                for (int kh = 0; kh < h; kh++) {
                    for (int kw = 0; kw < wf; kw++) {
                        int idx = ((kh * wf + kw) * n + i) * c + ch;
                        double re = full[kh * 2 * w + 2 * kw], im = full[kh * 2 * w + 2 * kw + 1];
                        maxErr = Math.max(maxErr, Math.hypot(re - s.re()[idx], im - s.im()[idx]));
                        maxVal = Math.max(maxVal, Math.hypot(re, im));
                    }
                }
            }
        }
        assertTrue(maxErr <= 1e-5 * maxVal, "DFT differs from JTransforms by " + maxErr + " (max " + maxVal + ")");
        FeatureMap back = dft.inverse(s);
        double err = Fixtures.relativeMaxError(x.data(), back.data());
        assertTrue(err < 1e-5, "inverse(forward(x)) differs from x by " + err);
    }
}
