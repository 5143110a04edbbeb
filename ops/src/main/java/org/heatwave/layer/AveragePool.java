package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * 2×2 average pooling, {@code Y⁺(y, x) = ¼ Σ_{a,b∈{0,1}} Y(2y + a, 2x + b)} (seed 001's restriction by
 * averaging); its adjoint spreads each value ¼ to the four fine pixels. No parameters.
 */
public final class AveragePool extends ParameterFreeLayer {
    public AveragePool(Geometry in) {
        super(in, halved(in, "2x2 average pooling"), BOUND);
    }

    @Override
    public String describe() {
        return "average pool 2x2 " + input().h() + "x" + input().w() + " -> " + output().h() + "x" + output().w();
    }

    private record Tr(FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }

    private static final Bound BOUND = new Bound() {
        @Override
        public Trace forward(FeatureMap y) {
            return new Tr(restrict(y));
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            return spread(w);
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            return restrict(dy);
        }
    };

    /** The 2×2 average of every plane. */
    public static FeatureMap restrict(FeatureMap y) {
        int h2 = y.h() / 2, w2 = y.w() / 2, nc = y.n() * y.c(), w = y.w();
        FeatureMap out = new FeatureMap(h2, w2, y.n(), y.c());
        float[] s = y.data(), d = out.data();
        for (int yy = 0; yy < h2; yy++) {
            for (int xx = 0; xx < w2; xx++) {
                int o = (yy * w2 + xx) * nc;
                int a = ((2 * yy) * w + 2 * xx) * nc, b = a + nc, c = a + w * nc, e = c + nc;
                for (int j = 0; j < nc; j++) {
                    d[o + j] = 0.25f * (s[a + j] + s[b + j] + s[c + j] + s[e + j]);
                }
            }
        }
        return out;
    }

    /** The adjoint of {@link #restrict}: each coarse value, times ¼, on its four fine pixels. */
    public static FeatureMap spread(FeatureMap g) {
        int h2 = g.h(), w2 = g.w(), nc = g.n() * g.c(), w = 2 * w2;
        FeatureMap out = new FeatureMap(2 * h2, w, g.n(), g.c());
        float[] s = g.data(), d = out.data();
        for (int yy = 0; yy < h2; yy++) {
            for (int xx = 0; xx < w2; xx++) {
                int o = (yy * w2 + xx) * nc;
                int a = ((2 * yy) * w + 2 * xx) * nc, b = a + nc, c = a + w * nc, e = c + nc;
                for (int j = 0; j < nc; j++) {
                    float v = 0.25f * s[o + j];
                    d[a + j] = v;
                    d[b + j] = v;
                    d[c + j] = v;
                    d[e + j] = v;
                }
            }
        }
        return out;
    }
}
