package org.heatwave.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.block.EulerBlock;
import org.heatwave.block.TimeWeights;
import org.heatwave.layer.AntisymmetricLayer;
import org.heatwave.layer.ConvActLayer;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.SymmetricLayer;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The toolkit on operators whose spectra the seeds state, and perturbation growth across depth. */
class StabilityTest {
    private static final Geometry G = new Geometry(3, 3, 2);

    @Test
    void theAntisymmetricRightHandSideHasImaginaryEigenvalues() {
        double[][] lambda = spectrum(new AntisymmetricLayer(G, 3, 0, Activation.IDENTITY), 1);
        double max = maxAbs(lambda);
        assertTrue(max > 0.1, "a non-trivial operator: max |λ| = " + max);
        for (double re : lambda[0]) {
            assertEquals(0, re, 1e-5 * max, "real part");
        }
    }

    @Test
    void theParabolicRightHandSideHasRealNonNegativeEigenvalues() {
        // J of S(Y) = Kᵀσ(KY + b) is Kᵀ diag(σ') K: symmetric, positive semi-definite (so −S is a stable flow)
        double[][] lambda = spectrum(new SymmetricLayer(G, 3, Activation.TANH, null), 2);
        double max = maxAbs(lambda);
        for (int i = 0; i < lambda[0].length; i++) {
            assertEquals(0, lambda[1][i], 1e-5 * max, "imaginary part");
            assertTrue(lambda[0][i] > -1e-5 * max, "eigenvalue " + lambda[0][i]);
        }
    }

    @Test
    void dampedAntisymmetricStepsShrinkPerturbationsAndAnExpandingLayerGrowsThem() {
        EulerBlock damped = new EulerBlock("antisymmetric", new AntisymmetricLayer(G, 3, 1.0, Activation.TANH),
                TimeWeights.constant(20), 0.1);
        double[] growth = growth(damped, 5);
        assertEquals(21, growth.length);
        assertEquals(1, growth[0], 1e-12);
        assertTrue(growth[20] < 0.95, "damped: " + growth[20]);
        // σ(2I Y), as seed 004's K+ (eigenvalue 2): perturbations grow
        EulerBlock expanding = new EulerBlock("K+", new ConvActLayer(G, 1, Activation.TANH, false),
                TimeWeights.constant(20), 0.1);
        double[] theta = new double[expanding.paramCount()];
        theta[0] = 2;
        theta[3] = 2;
        double[] up = Stability.perturbationGrowth(trajectory(expanding, theta, 7), trajectory(expanding, theta, 8));
        assertTrue(up[20] > 1.5, "expanding: " + up[20]);
    }

    @Test
    void refusesDenseJacobiansOfLargeStates() {
        Layer f = new AntisymmetricLayer(new Geometry(32, 32, 4), 3, 0, Activation.TANH);
        double[] theta = new double[f.paramCount()];
        FeatureMap y = Fixtures.normal(32, 32, 2, 4, 1);
        Layer.Bound b = f.bind(theta, 0);
        assertThrows(IllegalArgumentException.class, () -> Stability.jacobian(b, b.forward(y), y, theta.length));
    }

    private static double[][] spectrum(Layer f, long seed) {
        double[] theta = new double[f.paramCount()];
        f.init(theta, 0, new SplittableRandom(seed));
        FeatureMap y = Fixtures.normal(3, 3, 1, 2, seed + 1);
        Layer.Bound b = f.bind(theta, 0);
        return Stability.eigenvalues(Stability.jacobian(b, b.forward(y), y, theta.length));
    }

    private static double[] growth(EulerBlock block, long seed) {
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(seed));
        return Stability.perturbationGrowth(trajectory(block, theta, seed + 1), trajectory(block, theta, seed + 2));
    }

    /** A trajectory from a fixed state plus a small seeded perturbation. */
    private static java.util.List<FeatureMap> trajectory(EulerBlock block, double[] theta, long seed) {
        FeatureMap y = Fixtures.normal(3, 3, 2, 2, 100);
        FeatureMap d = Fixtures.normal(3, 3, 2, 2, seed);
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] += 1e-3f * d.data()[i];
        }
        return block.trajectory(block.bind(theta, 0), y);
    }

    private static double maxAbs(double[][] lambda) {
        double m = 0;
        for (int i = 0; i < lambda[0].length; i++) {
            m = Math.max(m, Math.hypot(lambda[0][i], lambda[1][i]));
        }
        return m;
    }
}
