package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * 2×2 max pooling, {@code Y⁺(y, x) = max_{a,b∈{0,1}} Y(2y + a, 2x + b)} per channel (seed 001, "pooling:
 * reduce image resolution (e.g. maximum or average over patches)"). Piecewise linear: the derivative
 * routes each output's cotangent to the input pixel that won (the first of equal maxima). No parameters.
 */
public final class MaxPool extends ParameterFreeLayer {
    public MaxPool(Geometry in) {
        super(in, halved(in, "2x2 max pooling"), BOUND);
    }

    @Override
    public String describe() {
        return "max pool 2x2 " + input().h() + "x" + input().w() + " -> " + output().h() + "x" + output().w();
    }

    /** The output and, per output value, which of its four inputs won (0–3: top-left, top-right, …). */
    private record Tr(FeatureMap output, byte[] winner) implements Trace {
        @Override
        public long bytes() {
            return output.bytes() + winner.length;
        }
    }

    private static final Bound BOUND = new Bound() {
        @Override
        public Trace forward(FeatureMap y) {
            int h2 = y.h() / 2, w2 = y.w() / 2, nc = y.n() * y.c(), w = y.w();
            FeatureMap o = new FeatureMap(h2, w2, y.n(), y.c());
            byte[] winner = new byte[o.data().length];
            float[] s = y.data();
            float[] d = o.data();
            for (int yy = 0; yy < h2; yy++) {
                for (int xx = 0; xx < w2; xx++) {
                    int at = (yy * w2 + xx) * nc;
                    int a = corner(yy, xx, w, nc);
                    for (int j = 0; j < nc; j++) {
                        float best = s[a + j];
                        byte win = 0;
                        for (byte q = 1; q < 4; q++) {
                            float v = s[offset(a, q, w, nc) + j];
                            if (v > best) {
                                best = v;
                                win = q;
                            }
                        }
                        d[at + j] = best;
                        winner[at + j] = win;
                    }
                }
            }
            return new Tr(o, winner);
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap g, double[] grad, int off) {
            Tr t = (Tr) trace;
            int h2 = g.h(), w2 = g.w(), nc = g.n() * g.c(), w = 2 * w2;
            FeatureMap fine = new FeatureMap(2 * h2, w, g.n(), g.c());
            for (int yy = 0; yy < h2; yy++) {
                for (int xx = 0; xx < w2; xx++) {
                    int at = (yy * w2 + xx) * nc;
                    int a = corner(yy, xx, w, nc);
                    for (int j = 0; j < nc; j++) {
                        fine.data()[offset(a, t.winner()[at + j], w, nc) + j] = g.data()[at + j];
                    }
                }
            }
            return fine;
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            int h2 = dy.h() / 2, w2 = dy.w() / 2, nc = dy.n() * dy.c(), w = dy.w();
            FeatureMap o = new FeatureMap(h2, w2, dy.n(), dy.c());
            for (int yy = 0; yy < h2; yy++) {
                for (int xx = 0; xx < w2; xx++) {
                    int at = (yy * w2 + xx) * nc;
                    int a = corner(yy, xx, w, nc);
                    for (int j = 0; j < nc; j++) {
                        o.data()[at + j] = dy.data()[offset(a, t.winner()[at + j], w, nc) + j];
                    }
                }
            }
            return o;
        }
    };

    /** Offset of the top-left fine pixel of coarse pixel (yy, xx) in a [h][w][n·c] array of width w. */
    private static int corner(int yy, int xx, int w, int nc) {
        return ((2 * yy) * w + 2 * xx) * nc;
    }

    /** Offset of fine pixel q (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) from the corner a. */
    private static int offset(int a, int q, int w, int nc) {
        return a + ((q >> 1) * w + (q & 1)) * nc;
    }
}
