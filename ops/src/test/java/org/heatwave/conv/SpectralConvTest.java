package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FFT convolution equals the direct reference, for odd and even sizes, forward, transpose and θ-gradient. */
class SpectralConvTest {

    @ParameterizedTest(name = "{0}<-{1} k={2} on {3}x{4}")
    @CsvSource({"4,3,3,8,8", "3,4,3,7,7", "2,2,3,6,5", "5,1,3,28,28", "3,3,5,9,10", "2,3,1,4,6"})
    void spectralEqualsDirect(int cout, int cin, int k, int h, int w) {
        int n = 3;
        SpectralConv conv = new SpectralConv(cout, cin, k, h, w);
        Dft2 dft = new Dft2(h, w);
        double[] theta = Fixtures.normal(conv.paramCount(), 1, 7);
        KernelSpectrum ks = conv.spectrum(theta, 0);
        FeatureMap y = Fixtures.normal(h, w, n, cin, 8);
        FeatureMap g = Fixtures.normal(h, w, n, cout, 9);

        Spectrum z = new Spectrum(h, w, n, cout);
        conv.apply(ks, dft.forward(y), z, 1f, false);
        assertClose(DirectConv.apply(theta, 0, cout, k, y).data(), dft.inverse(z).data(), "K y");

        Spectrum t = new Spectrum(h, w, n, cin);
        conv.applyTranspose(ks, dft.forward(g), t, 1f, false);
        assertClose(DirectConv.applyTranspose(theta, 0, cin, k, g).data(), dft.inverse(t).data(), "Kᵀ z");

        Correlation p = conv.newCorrelation();
        conv.accumulateCorrelation(dft.forward(g), dft.forward(y), 1f, p);
        double[] grad = new double[conv.paramCount()];
        conv.addStencilGradient(p, grad, 0);
        double[] ref = DirectConv.paramGradient(g, y, k);
        double err = Fixtures.relativeMaxError(ref, grad);
        assertTrue(err < 1e-4, "θ-gradient differs from direct by " + err);
    }

    @Test
    void orientationIsCrossCorrelation() {
        // 1-D stencil [θ1 θ2 θ3] = [0 0 1] along x must read the right neighbour: (K y)(x) = y(x+1)
        int w = 5;
        double[] theta = new double[9];
        theta[Stencil.index(1, 3, 0, 0, 1, 2)] = 1;
        FeatureMap y = new FeatureMap(3, w, 1, 1);
        for (int x = 0; x < w; x++) {
            for (int r = 0; r < 3; r++) {
                y.data()[r * w + x] = x;
            }
        }
        Convolution conv = new Convolution(1, 1, 3, 3, w);
        FeatureMap z = conv.apply(conv.prepare(theta, 0), y);
        for (int x = 0; x < w; x++) {
            assertEquals((x + 1) % w, z.data()[w + x], 1e-5, "pixel " + x);
        }
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        SpectralConv conv = new SpectralConv(4, 3, 3, 8, 8);
        KernelSpectrum ks = conv.spectrum(new double[conv.paramCount()], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.apply(ks, new Spectrum(8, 8, 1, 2), new Spectrum(8, 8, 1, 4), 1f, false));
        assertTrue(e.getMessage().contains("expects 3 channels") && e.getMessage().contains("got 2"), e.getMessage());
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double err = Fixtures.relativeMaxError(expected, actual);
        assertTrue(err < 1e-5, what + ": FFT differs from direct by " + err);
    }
}
