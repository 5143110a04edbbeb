package org.heatwave.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Blocks;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Refinement in depth ({@code nt → 2nt}, {@code h → h/2}, weights interpolated): the refined blocks are finer
 * discretisations of the same ODE, so their outputs converge at the scheme's order.
 */
class RefinementTest {
    private static final Geometry G = new Geometry(5, 5, 3);

    @Test
    void perStepWeightsAreInterpolatedAtTheMidpoints() {
        TimeWeights t = TimeWeights.perStep(3);
        double[] sets = {1, 10, 2, 20, 3, 30}; // θ_j of two parameters
        double[] refined = new double[12];
        t.refineSets(sets, 0, 2, refined, 0);
        assertArrayEquals(new double[] {1, 10, 1.5, 15, 2, 20, 2.5, 25, 3, 30, 3, 30}, refined);
        assertEquals(6, t.refined().steps());
        assertTrue(t.refined().isPerStep());
        assertEquals(2, TimeWeights.hats(4, 2).refined().sets());
        assertEquals(1, TimeWeights.constant(4).refined().sets());
    }

    @Test
    void refinedEulerBlocksConvergeAtFirstOrder() {
        EulerBlock coarse = Blocks.resnet(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.hats(4, 2), 0.5);
        assertFirstOrder(coarse);
    }

    @Test
    void refinedVerletBlocksConverge() {
        VerletBlock coarse = Blocks.hamiltonian(G, 3, Activation.TANH, null, TimeWeights.constant(4), 0.5, false);
        assertFirstOrder(coarse);
    }

    /** Errors against a 32× finer reference halve (at least) with each refinement. */
    private static void assertFirstOrder(Refinable coarse) {
        double[] theta = new double[coarse.paramCount()];
        coarse.init(theta, 0, new SplittableRandom(3));
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 2; // a right-hand side that moves the features visibly over T = nt·h
        }
        FeatureMap y = Fixtures.normal(5, 5, 2, 3, 4);
        Refinable[] blocks = new Refinable[6];
        double[][] thetas = new double[6][];
        blocks[0] = coarse;
        thetas[0] = theta;
        for (int r = 1; r < 6; r++) {
            thetas[r] = blocks[r - 1].refineParameters(thetas[r - 1], 0);
            blocks[r] = blocks[r - 1].refined();
        }
        float[] reference = blocks[5].bind(thetas[5], 0).forward(y).output().data();
        double e0 = error(blocks[0].bind(thetas[0], 0).forward(y).output().data(), reference);
        double e1 = error(blocks[1].bind(thetas[1], 0).forward(y).output().data(), reference);
        double e2 = error(blocks[2].bind(thetas[2], 0).forward(y).output().data(), reference);
        assertTrue(e0 > 1e-3, "the coarse block is not already converged: " + e0);
        assertTrue(e1 < 0.62 * e0 && e2 < 0.62 * e1, "errors " + e0 + ", " + e1 + ", " + e2);
    }

    private static double error(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s = Math.max(s, Math.abs(a[i] - b[i]));
        }
        return s;
    }
}
