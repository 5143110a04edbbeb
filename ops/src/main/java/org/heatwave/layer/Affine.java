package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.conv.PointwiseConv;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The affine classifier {@code S = W Y + μ} (seeds 002–004: the linear model in front of the softmax)
 * applied per pixel; after global pooling that is one feature vector per example. Parameters: {@code W}
 * ({@code c_out × c_in}, row-major), then {@code μ}.
 */
public final class Affine implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final PointwiseConv weights;

    public Affine(Geometry in, int classes) {
        this.in = in;
        this.out = new Geometry(in.h(), in.w(), classes);
        this.weights = new PointwiseConv(classes, in.c());
    }

    @Override
    public String describe() {
        return "affine " + in.c() + "->" + out.c();
    }

    @Override
    public Geometry input() {
        return in;
    }

    @Override
    public Geometry output() {
        return out;
    }

    @Override
    public int paramCount() {
        return weights.paramCount() + out.c();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        double std = 1.0 / Math.sqrt(in.c());
        Init.gaussian(theta, off, weights.paramCount(), std, random);
        java.util.Arrays.fill(theta, off + weights.paramCount(), off + paramCount(), 0);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + weights.paramCount(), true);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        PointwiseConv.Prepared wt = weights.prepare(theta, off);
        float[] mu = Floats.of(theta, off + weights.paramCount(), out.c());
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                FeatureMap s = weights.apply(wt, y);
                addBias(s, mu);
                return new Tr(y, s);
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap g, double[] grad, int gOff) {
                Tr t = (Tr) trace;
                weights.accumulateGradient(g, t.input(), grad, gOff);
                int c = out.c();
                float[] gd = g.data();
                for (int r = 0; r < gd.length; r++) {
                    grad[gOff + weights.paramCount() + r % c] += gd[r];
                }
                return weights.applyTranspose(wt, g);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                Tr t = (Tr) trace;
                FeatureMap ds = weights.apply(wt, dy);
                Floats.addInPlace(ds.data(), weights.apply(weights.prepare(dTheta, dOff), t.input()).data());
                addBias(ds, Floats.of(dTheta, dOff + weights.paramCount(), out.c()));
                return ds;
            }
        };
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }

    private static void addBias(FeatureMap s, float[] mu) {
        float[] d = s.data();
        int c = mu.length;
        for (int r = 0; r < d.length; r++) {
            d[r] += mu[r % c];
        }
    }
}
