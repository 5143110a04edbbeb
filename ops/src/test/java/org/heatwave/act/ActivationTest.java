package org.heatwave.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void tanhIsAccurateToAFewUlps() {
        double worst = 0;
        for (int k = -200_000; k <= 200_000; k++) {
            float x = k * 1e-4f;
            double exact = Math.tanh(x);
            double err = Math.abs(Activation.tanh(x) - exact) / Math.max(Math.ulp((float) exact), Float.MIN_NORMAL);
            worst = Math.max(worst, err);
        }
        assertTrue(worst <= 8, "worst error " + worst + " ulps");
        assertEquals(1f, Activation.tanh(50f), 2 * Math.ulp(1f));
        assertEquals(-1f, Activation.tanh(-50f), 2 * Math.ulp(1f));
        assertEquals(0f, Activation.tanh(0f));
    }

    @Test
    void tanhIsOddAndMonotoneToRounding() {
        float prev = -1;
        for (int k = -1000; k <= 1000; k++) {
            float x = k * 0.01f;
            float t = Activation.tanh(x);
            assertEquals(-t, Activation.tanh(-x));
            assertTrue(t >= prev - 2 * Math.ulp(1f), "monotone at " + x);
            prev = t;
        }
    }
}
