package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * The seeds' classifier on the whole final state, {@code S = W Y_N + μ} (seeds 002–004; seed 001: "columns
 * in W can be seen as images") — no pooling: one weight per class, channel and pixel. Output: 1×1 maps of
 * {@code classes} scores. Parameters: {@code W} as {@code classes × channels} images of {@code h × w} values
 * ({@code W[k][c][y][x]}, row-major: what {@link org.heatwave.reg.ImageSmoothness} smooths), then {@code μ}.
 */
public final class FullClassifier implements Layer {
    private final Geometry in;
    private final int classes;

    public FullClassifier(Geometry in, int classes) {
        this.in = in;
        this.classes = classes;
    }

    @Override
    public String describe() {
        return "classifier W Y + μ on " + in.h() + "x" + in.w() + "x" + in.c() + " -> " + classes;
    }

    @Override
    public Geometry input() {
        return in;
    }

    @Override
    public Geometry output() {
        return new Geometry(1, 1, classes);
    }

    /** Number of weights, {@code classes · c · h · w}; μ follows them. */
    public int weightCount() {
        return classes * in.c() * in.h() * in.w();
    }

    @Override
    public int paramCount() {
        return weightCount() + classes;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        Init.gaussian(theta, off, weightCount(), 1.0 / Math.sqrt((double) in.c() * in.h() * in.w()), random);
        java.util.Arrays.fill(theta, off + weightCount(), off + paramCount(), 0);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + weightCount(), true);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        float[] w = Floats.of(theta, off, weightCount());
        float[] mu = Floats.of(theta, off + weightCount(), classes);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                if (y.h() != in.h() || y.w() != in.w() || y.c() != in.c()) {
                    throw new IllegalArgumentException(describe() + " expects input " + in + " but got " + y.dims());
                }
                FeatureMap s = scores(w, y);
                float[] sd = s.data();
                for (int i = 0; i < sd.length; i++) {
                    sd[i] += mu[i % classes];
                }
                return new Tr(y, s);
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap sbar, double[] grad, int gOff) {
                FeatureMap y = ((Tr) trace).input();
                int n = y.n();
                int c = in.c();
                int pixels = in.h() * in.w();
                float[] yd = y.data();
                float[] sd = sbar.data();
                FeatureMap ybar = y.zerosLike();
                float[] yb = ybar.data();
                for (int k = 0; k < classes; k++) {
                    for (int ch = 0; ch < c; ch++) {
                        int wBase = (k * c + ch) * pixels;
                        for (int p = 0; p < pixels; p++) {
                            double g = 0;
                            float wk = w[wBase + p];
                            for (int i = 0; i < n; i++) {
                                int at = (p * n + i) * c + ch;
                                float s = sd[i * classes + k];
                                g += (double) s * yd[at];
                                yb[at] += wk * s;
                            }
                            grad[gOff + wBase + p] += g;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < classes; k++) {
                        grad[gOff + weightCount() + k] += sd[i * classes + k];
                    }
                }
                return ybar;
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                FeatureMap y = ((Tr) trace).input();
                FeatureMap ds = scores(w, dy);
                FeatureMap fromW = scores(Floats.of(dTheta, dOff, weightCount()), y);
                float[] d = ds.data();
                float[] e = fromW.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] += e[i] + (float) dTheta[dOff + weightCount() + i % classes];
                }
                return ds;
            }
        };
    }

    /** {@code S_i[k] = Σ_{c,p} W[k][c][p] · Y_i(p)[c]}. */
    private FeatureMap scores(float[] w, FeatureMap y) {
        int n = y.n();
        int c = in.c();
        int pixels = in.h() * in.w();
        float[] yd = y.data();
        FeatureMap s = new FeatureMap(1, 1, n, classes);
        float[] sd = s.data();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < classes; k++) {
                double acc = 0;
                for (int ch = 0; ch < c; ch++) {
                    int wBase = (k * c + ch) * pixels;
                    for (int p = 0; p < pixels; p++) {
                        acc += (double) w[wBase + p] * yd[(p * n + i) * c + ch];
                    }
                }
                sd[i * classes + k] = (float) acc;
            }
        }
        return s;
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }
}
