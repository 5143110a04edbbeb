package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.kernels.StencilModels;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-frequency solves checked by applying the direct operator to the solution. */
class SpectralSolveTest {

    @ParameterizedTest(name = "{0} channels, k={1}, {2}x{3}")
    @CsvSource({"3,3,8,7", "1,3,6,6", "4,5,9,8", "2,1,5,5"})
    void inverseAndItsTransposeUndoK(int c, int k, int h, int w) {
        double[] theta = diagonallyDominant(c, k);
        FeatureMap y = Fixtures.normal(h, w, 3, c, 2);
        SpectralConv conv = new SpectralConv(c, c, k, h, w);
        SpectralSolve solve = SpectralSolve.inverse(conv.spectrum(theta, 0));
        Dft2 dft = new Dft2(h, w);

        Spectrum x = new Spectrum(h, w, 3, c);
        solve.solve(dft.forward(y), x);
        assertClose(y, DirectConv.apply(theta, 0, c, k, dft.inverse(x)), "K (K⁻¹ y)");
        solve.solveTranspose(dft.forward(y), x);
        assertClose(y, DirectConv.applyTranspose(theta, 0, c, k, dft.inverse(x)), "Kᵀ (K⁻ᵀ y)");
    }

    @ParameterizedTest(name = "{0}<-{1}, k={2}, {3}x{4}, h={5}")
    @CsvSource({"3,3,3,8,7,0.5", "4,2,3,6,6,2.0", "2,3,5,9,8,0.1", "5,5,1,4,4,1.0"})
    void shiftedNormalSolveUndoesIPlusHKtK(int cout, int cin, int k, int h, int w, double step) {
        double[] theta = Fixtures.normal(Stencil.paramCount(cout, cin, k), 1, 3);
        FeatureMap y = Fixtures.normal(h, w, 2, cin, 4);
        SpectralConv conv = new SpectralConv(cout, cin, k, h, w);
        SpectralSolve solve = SpectralSolve.shiftedNormal(conv.spectrum(theta, 0), step);
        Dft2 dft = new Dft2(h, w);
        Spectrum x = new Spectrum(h, w, 2, cin);
        solve.solve(dft.forward(y), x);
        FeatureMap xs = dft.inverse(x);
        FeatureMap ktkx = DirectConv.applyTranspose(theta, 0, cin, k, DirectConv.apply(theta, 0, cout, k, xs));
        FeatureMap back = xs.copy();
        for (int j = 0; j < back.data().length; j++) {
            back.data()[j] += (float) (step * ktkx.data()[j]);
        }
        assertClose(y, back, "(I + h KᵀK) x");
    }

    @Test
    void singularKernelIsRefusedNamingTheFrequency() {
        // zero-mean stencils annihilate constants: K̂ vanishes at frequency 0
        var model = StencilModels.zeroMean(2, 2, 3);
        double[] full = new double[model.fullCount()];
        model.expand(Fixtures.normal(model.paramCount(), 1, 5), 0, full);
        SpectralConv conv = new SpectralConv(2, 2, 3, 6, 6);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> SpectralSolve.inverse(conv.spectrum(full, 0)));
        assertTrue(e.getMessage().contains("frequency 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpectralSolve.inverse(new SpectralConv(2, 3, 3, 6, 6).spectrum(
                new double[Stencil.paramCount(2, 3, 3)], 0)));
    }

    /** A random stencil plus a dominant centre on the channel diagonal, so every K̂_f is invertible. */
    private static double[] diagonallyDominant(int c, int k) {
        double[] theta = Fixtures.normal(Stencil.paramCount(c, c, k), 0.1, 1);
        for (int o = 0; o < c; o++) {
            theta[Stencil.index(c, k, o, o, k / 2, k / 2)] += 3;
        }
        return theta;
    }

    private static void assertClose(FeatureMap expected, FeatureMap actual, String what) {
        double err = Fixtures.relativeMaxError(expected.data(), actual.data());
        assertTrue(err < 1e-4, what + " differs from y by " + err);
    }
}
