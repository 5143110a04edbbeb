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

    /**
     * The specialised {@code multiplyDerivative} loops (tanh's and ReLU's branch-free one) compute exactly
     * {@code σ'(s)·v} per element, at and around ReLU's kink included; ReLU's gives {@code +0} where σ' is 0.
     */
    @Test
    void multiplyDerivativeIsTheDerivativeTimesTheVector() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int n = 1000;
        float[] a = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 5 == 0 ? 0f : (float) (2 * r.nextDouble() - 1);
            v[i] = (float) (4 * r.nextDouble() - 2);
        }
        a[1] = -0f;
        a[2] = Float.MIN_VALUE;
        for (Activation act : Activation.values()) {
            float[] s = new float[n];
            act.apply(a, s, 0, n);
            float[] out = new float[n];
            act.multiplyDerivative(s, v, out);
            for (int i = 0; i < n; i++) {
                float expected = act.derivativeFromOutput(s[i]) * v[i];
                assertEquals(expected == 0f ? 0f : expected, out[i] == 0f ? 0f : out[i], act + " at " + i + " (s = " + s[i] + ")");
            }
            float[] inPlace = v.clone();
            act.multiplyDerivative(s, inPlace, inPlace);
            assertTrue(java.util.Arrays.equals(out, inPlace), act + ": in place");
        }
        float[] zero = {0f};
        float[] out = new float[1];
        Activation.RELU.multiplyDerivative(zero, new float[] {-3f}, out);
        assertEquals(0, Float.floatToRawIntBits(out[0]), "+0 where the derivative is 0");
    }
}
