package org.heatwave.act;

/**
 * Pointwise activation functions σ. The derivative is expressed through the output {@code s = σ(a)},
 * which is what the layers keep for the backward pass. All are monotone non-decreasing, the condition of
 * seed 000's stability theorem for parabolic networks.
 */
public enum Activation {
    /** {@code σ(a) = tanh(a)}, {@code σ' = 1 − s²}. */
    TANH {
        @Override
        public void apply(float[] a, float[] s, int from, int to) {
            for (int i = from; i < to; i++) {
                // the rational approximation below, inlined so that the loop vectorises
                float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, a[i]));
                float x2 = x * x;
                float p = x2 * A13 + A11;
                p = x2 * p + A9;
                p = x2 * p + A7;
                p = x2 * p + A5;
                p = x2 * p + A3;
                p = x2 * p + A1;
                float q = x2 * B6 + B4;
                q = x2 * q + B2;
                q = x2 * q + B0;
                s[i] = x * p / q;
            }
        }

        @Override
        public float derivativeFromOutput(float s) {
            return 1f - s * s;
        }

        @Override
        public void multiplyDerivative(float[] s, float[] v, float[] out) {
            for (int i = 0; i < s.length; i++) {
                out[i] = (1f - s[i] * s[i]) * v[i];
            }
        }
    },
    /** {@code σ(a) = max(a, 0)}, {@code σ' = [s > 0]}. */
    RELU {
        @Override
        public void apply(float[] a, float[] s, int from, int to) {
            for (int i = from; i < to; i++) {
                s[i] = Math.max(a[i], 0f);
            }
        }

        @Override
        public float derivativeFromOutput(float s) {
            return s > 0f ? 1f : 0f;
        }

        @Override
        public void multiplyDerivative(float[] s, float[] v, float[] out) {
            // branch-free: s = max(a, 0) has a positive bit pattern exactly when s > 0 (a NaN s passes v), and
            // (−bits) >> 31 is then all ones; a branch here mispredicts on half the pixels (8 ms against
            // 0.5 ms for the 1.6 million activations of a reference-network step)
            for (int i = 0; i < s.length; i++) {
                int keep = -Float.floatToRawIntBits(s[i]) >> 31;
                out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) & keep);
            }
        }
    },
    /**
     * Smoothed ReLU (as in Meganet.m's {@code smoothReluActivation}): {@code 0} for {@code a ≤ −η},
     * {@code (a + η)²/(4η)} for {@code |a| < η}, {@code a} for {@code a ≥ η}, with {@code η = }
     * {@value #SMOOTH_RELU_ETA}. Monotone and C¹ with a Lipschitz derivative ({@code σ''} jumps at
     * {@code ±η}), so Taylor remainders are O(ε²) — though a halving in which many values cross {@code ±η}
     * can show a lower order; {@code σ' = min(1, √(s/η))}.
     */
    SMOOTH_RELU {
        @Override
        public void apply(float[] a, float[] s, int from, int to) {
            for (int i = from; i < to; i++) {
                float x = a[i];
                float t = Math.max(0f, Math.min(2 * SMOOTH_RELU_ETA, x + SMOOTH_RELU_ETA));
                s[i] = t * t * (0.25f / SMOOTH_RELU_ETA) + Math.max(x - SMOOTH_RELU_ETA, 0f);
            }
        }

        @Override
        public float derivativeFromOutput(float s) {
            return s >= SMOOTH_RELU_ETA ? 1f : (float) Math.sqrt(s / SMOOTH_RELU_ETA);
        }
    },
    /** {@code σ(a) = a}. */
    IDENTITY {
        @Override
        public void apply(float[] a, float[] s, int from, int to) {
            if (a != s) {
                System.arraycopy(a, from, s, from, to - from);
            }
        }

        @Override
        public float derivativeFromOutput(float s) {
            return 1f;
        }
    };

    /** {@code s[i] = σ(a[i])} for {@code from ≤ i < to}; {@code s} may be {@code a}. */
    public abstract void apply(float[] a, float[] s, int from, int to);

    /** {@code σ'(a)} given {@code s = σ(a)}. */
    public abstract float derivativeFromOutput(float s);

    /**
     * {@code out[i] = σ'(a[i]) · v[i]} with {@code s = σ(a)}; {@code out} may be {@code v}. The shared loop
     * calls {@link #derivativeFromOutput} per element, a virtual call once several activations have run
     * through it, which keeps the loop from vectorising: the activations of the reference network override it
     * with a plain loop (the ReLU vector–Jacobian product took 9 % of a training step before). Where the
     * derivative is 0 the product is {@code +0} even if {@code v[i]} is not finite.
     */
    public void multiplyDerivative(float[] s, float[] v, float[] out) {
        for (int i = 0; i < s.length; i++) {
            out[i] = derivativeFromOutput(s[i]) * v[i];
        }
    }

    /** Parses a config name ({@code tanh}, {@code relu}, {@code smooth-relu}, {@code identity}). */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().replace('_', '-').equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected tanh, relu, smooth-relu or identity");
    }

    /** The half-width η of {@link #SMOOTH_RELU}'s quadratic piece. */
    public static final float SMOOTH_RELU_ETA = 0.1f;

    /**
     * {@code tanh} in float32 as the odd rational function {@code x·P(x²)/Q(x²)} of degrees 13/6 on
     * {@code |x| ≤ 7.99} (beyond which tanh is 1 to float precision): accurate to a few ulps, branch-free,
     * so the activation loop vectorises. Coefficients: the minimax fit used by Eigen's {@code ptanh}.
     */
    static float tanh(float a) {
        float[] in = {a};
        TANH.apply(in, in, 0, 1);
        return in[0];
    }

    private static final float TANH_CLAMP = 7.99881172180175781f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;
}
