package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.tensor.FeatureMap;

/**
 * Global average pooling, {@code Y⁺_c = (1/(h·w)) Σ_p Y_c(p)}: a {@code 1 × 1} map per example, which
 * makes the classifier independent of the image resolution. No parameters.
 */
public final class GlobalAveragePool implements Layer {
    private final Geometry in;

    public GlobalAveragePool(Geometry in) {
        this.in = in;
    }

    @Override
    public String describe() {
        return "global average pool " + in.h() + "x" + in.w();
    }

    @Override
    public Geometry input() {
        return in;
    }

    @Override
    public Geometry output() {
        return new Geometry(1, 1, in.c());
    }

    @Override
    public int paramCount() {
        return 0;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
    }

    @Override
    public Bound bind(double[] theta, int off) {
        return BOUND;
    }

    private record Tr(FeatureMap output, int h, int w) implements Trace {
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
