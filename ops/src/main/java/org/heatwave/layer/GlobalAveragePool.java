package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * Global average pooling, {@code Y⁺_c = (1/(h·w)) Σ_p Y_c(p)}: a {@code 1 × 1} map per example, which
 * makes the classifier independent of the image resolution. No parameters.
 */
public final class GlobalAveragePool extends ParameterFreeLayer {
    public GlobalAveragePool(Geometry in) {
        super(in, new Geometry(1, 1, in.c()), BOUND);
    }

    @Override
    public String describe() {
        return "global average pool " + input().h() + "x" + input().w();
    }

    private record Tr(FeatureMap output, int h, int w) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }

    private static final Bound BOUND = new Bound() {
        @Override
        public Trace forward(FeatureMap y) {
            return new Tr(average(y), y.h(), y.w());
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap g, double[] grad, int off) {
            Tr t = (Tr) trace;
            int m = t.h() * t.w(), nc = g.n() * g.c();
            FeatureMap out = new FeatureMap(t.h(), t.w(), g.n(), g.c());
            float[] d = out.data(), s = g.data();
            float scale = 1f / m;
            for (int p = 0; p < m; p++) {
                for (int j = 0; j < nc; j++) {
                    d[p * nc + j] = scale * s[j];
                }
            }
            return out;
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            return average(dy);
        }
    };

    private static FeatureMap average(FeatureMap y) {
        int m = y.pixels(), nc = y.n() * y.c();
        double[] acc = new double[nc];
        float[] s = y.data();
        for (int p = 0; p < m; p++) {
            for (int j = 0; j < nc; j++) {
                acc[j] += s[p * nc + j];
            }
        }
        FeatureMap out = new FeatureMap(1, 1, y.n(), y.c());
        for (int j = 0; j < nc; j++) {
            out.data()[j] = (float) (acc[j] / m);
        }
        return out;
    }
}
