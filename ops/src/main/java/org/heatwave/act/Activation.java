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
                s[i] = tanh(a[i]);
            }
        }

        @Override
        public float derivativeFromOutput(float s) {
            return 1f - s * s;
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

    /** {@code out[i] = σ'(a[i]) · v[i]} with {@code s = σ(a)}; {@code out} may be {@code v}. */
    public void multiplyDerivative(float[] s, float[] v, float[] out) {
        for (int i = 0; i < s.length; i++) {
            out[i] = derivativeFromOutput(s[i]) * v[i];
        }
    }

    /** Parses a config name ({@code tanh}, {@code relu}, {@code identity}). */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected tanh, relu or identity");
    }

    /**
     * Float tanh accurate to a few ulps, without the cost of {@link Math#tanh} on doubles:
     * {@code tanh(a) = 1 − 2/(e^{2a} + 1)}, with saturation beyond |a| ≥ 9 and the odd extension.
     */
    static float tanh(float a) {
        float x = Math.abs(a);
        float t;
        if (x >= 9f) {
            t = 1f;
        } else if (x < 0.004f) {
            t = x * (1f - x * x / 3f);
        } else {
            t = (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
        }
        return Math.copySign(t, a);
    }
}
