package org.heatwave.layer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.conv.Boundary;
import org.heatwave.kernels.LeanModel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The factored lean operator (depthwise, then 1×1) computes what the expanded full stencil computes —
 * forward, transpose, θ-gradient and θ-tangent — so the lean network's cheaper path changes no result
 * beyond float32 rounding; and {@link StencilConvolution#of} picks it exactly where it applies.
 */
class StencilConvolutionTest {

    @ParameterizedTest(name = "lean {0}<-{1} {2}x{2} 5-point {3} on {4}x{5}")
    @CsvSource({"4,3,3,true,8,8", "6,6,3,true,7,9", "3,5,5,false,6,7", "32,32,3,true,5,5"})
    void theFactoredLeanOperatorEqualsTheExpandedOne(int cout, int cin, int k, boolean fivePoint, int h, int w) {
        LeanModel model = new LeanModel(cout, cin, k, fivePoint);
        StencilConvolution factored = StencilConvolution.of(model, h, w, Boundary.PERIODIC, 1);
        StencilConvolution expanded = new ExpandedConvolution(model, h, w, Boundary.PERIODIC, 1);
        assertInstanceOf(LeanConvolution.class, factored);

        double[] theta = Fixtures.normal(model.paramCount(), 1, 21);
        double[] dTheta = Fixtures.normal(model.paramCount(), 1, 22);
        FeatureMap y = Fixtures.normal(h, w, 3, cin, 23);
        FeatureMap g = Fixtures.normal(h, w, 3, cout, 24);
        StencilConvolution.Prepared kf = factored.prepare(theta, 0);
        StencilConvolution.Prepared ke = expanded.prepare(theta, 0);

        assertClose(expanded.apply(ke, y).data(), factored.apply(kf, y).data(), "K y");
        assertClose(expanded.applyTranspose(ke, g).data(), factored.applyTranspose(kf, g).data(), "Kᵀ g");
        assertClose(expanded.applyTangent(ke, dTheta, 0, y).data(), factored.applyTangent(kf, dTheta, 0, y).data(),
                "dK y");
        double[] gradE = new double[model.paramCount()];
        double[] gradF = new double[model.paramCount()];
        expanded.accumulateGradient(ke, g, y, gradE, 0);
        factored.accumulateGradient(kf, g, y, gradF, 0);
        double err = Fixtures.relativeMaxError(gradE, gradF);
        assertTrue(err < 1e-5, "θ-gradient differs by " + err);
    }

    @ParameterizedTest(name = "{0} stride {1}")
    @CsvSource({"ZERO,1", "PERIODIC,2"})
    void leanModelsOffThePeriodicUnitStrideGridAreExpanded(Boundary boundary, int stride) {
        StencilConvolution conv = StencilConvolution.of(new LeanModel(4, 4, 3, true), 8, 8, boundary, stride);
        assertInstanceOf(ExpandedConvolution.class, conv);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double err = Fixtures.relativeMaxError(expected, actual);
        assertTrue(err < 1e-5, what + " differs from the expanded stencil's by " + err);
    }
}
