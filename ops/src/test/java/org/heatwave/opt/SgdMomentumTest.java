package org.heatwave.opt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SgdMomentumTest {

    @Test
    void oneStepFollowsTheFormula() {
        SgdMomentum sgd = new SgdMomentum(0.9, 0.1, new boolean[] {true, false});
        double[] theta = {1, 2};
        SgdMomentum.State s = new SgdMomentum.State(new double[] {0.5, -1}, 3);
        s = sgd.step(theta, new double[] {1, 1}, s, 0.01);
        // v = 0.9 v + g + λθ (masked); θ -= η v
        assertArrayEquals(new double[] {0.45 + 1 + 0.1, -0.9 + 1}, s.velocity(), 1e-12);
        assertArrayEquals(new double[] {1 - 0.01 * 1.55, 2 - 0.01 * 0.1}, theta, 1e-12);
        assertEquals(4, s.step());
    }

    @Test
    void minimisesAQuadratic() {
        // f(θ) = ½ Σ a_i θ_i², minimiser 0
        double[] a = {1, 10, 100};
        double[] theta = {1, 1, 1};
        SgdMomentum sgd = new SgdMomentum(0.9, 0, new boolean[3]);
        SgdMomentum.State s = SgdMomentum.State.initial(3);
        for (int k = 0; k < 500; k++) {
            double[] g = new double[3];
            for (int i = 0; i < 3; i++) {
                g[i] = a[i] * theta[i];
            }
            s = sgd.step(theta, g, s, 0.01);
        }
        for (double t : theta) {
            assertTrue(Math.abs(t) < 1e-3, "θ = " + t);
        }
    }
}
