package org.heatwave.block;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seed 000's theorem: for monotone σ the parabolic flow {@code ∂_t Y = −Kᵀσ(K Y + b)} does not amplify
 * differences of its inputs, {@code ‖Y(T) − Y_ε(T)‖ ≤ ‖Y(0) − Y_ε(0)‖}; its forward-Euler steps inherit this
 * for {@code h ≤ 2/(max σ' ‖K‖²)}. Checked on random kernels and biases, on the block without
 * normalisation (the form the theorem is about).
 */
class ParabolicStabilityTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void smallStepsNeverAmplifyPerturbations(long seed) {
        Geometry g = new Geometry(8, 8, 4);
        // h·‖K‖² small: the explicit Euler step of the (monotone) gradient flow is then non-expansive
        ParabolicBlock block = new ParabolicBlock(g, 3, 10, 0.05, Activation.TANH, false);
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(seed));
        double[] bias = Fixtures.normal(theta.length, 0.5, seed + 30);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 3 * theta[i] + bias[i]; // larger random stencils, random biases
        }
        FeatureMap y = Fixtures.normal(8, 8, 2, 4, seed + 10);
        FeatureMap d = Fixtures.normal(8, 8, 2, 4, seed + 20);
        float[] yd = y.data(), dd = d.data();
        FeatureMap ye = y.copy();
        for (int i = 0; i < yd.length; i++) {
            ye.data()[i] += 1e-2f * dd[i];
        }
        var bound = block.bind(theta, 0);
        double before = distance(y, ye);
        double after = distance(bound.forward(y).output(), bound.forward(ye).output());
        assertTrue(after <= before * (1 + 1e-4), "perturbation grew from " + before + " to " + after);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aTooLargeStepDoesAmplify(long seed) {
        // the counter-check: the same test would notice growth, e.g. with an explicit step far past 2/‖K‖²
        Geometry g = new Geometry(8, 8, 4);
        ParabolicBlock block = new ParabolicBlock(g, 3, 10, 5.0, Activation.IDENTITY, false);
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(seed));
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 3;
        }
        FeatureMap y = Fixtures.normal(8, 8, 2, 4, seed + 10);
        FeatureMap ye = y.copy();
        FeatureMap d = Fixtures.normal(8, 8, 2, 4, seed + 20);
        for (int i = 0; i < y.data().length; i++) {
            ye.data()[i] += 1e-2f * d.data()[i];
        }
        var bound = block.bind(theta, 0);
        assertTrue(distance(bound.forward(y).output(), bound.forward(ye).output()) > 10 * distance(y, ye));
    }

    private static double distance(FeatureMap a, FeatureMap b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = a.data()[i] - b.data()[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
