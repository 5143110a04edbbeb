package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * The slow, obviously-correct reference for every convolution: multichannel cross-correlation evaluated by
 * its defining sum ({@link Stencil}), with a {@link Boundary} condition and a stride, its transpose and its
 * parameter gradient, in float64 accumulation. Output pixel {@code (y, x)} sits at input pixel
 * {@code (s·y, s·x)}. Used by tests only as the ground truth; never in a hot path.
 */
public final class DirectConv {
    private DirectConv() {
    }

    /** {@code K(θ) y}, periodic, stride 1. */
    public static FeatureMap apply(double[] theta, int off, int cout, int k, FeatureMap y) {
        return apply(theta, off, cout, k, Boundary.PERIODIC, 1, y);
    }

    /** {@code K(θ)ᵀ z}, periodic, stride 1. */
    public static FeatureMap applyTranspose(double[] theta, int off, int cin, int k, FeatureMap z) {
        return applyTranspose(theta, off, cin, k, Boundary.PERIODIC, 1, z.h(), z.w(), z);
    }

    /** Gradient of {@code ⟨g, K(θ) x⟩} with respect to θ, periodic, stride 1. */
    public static double[] paramGradient(FeatureMap g, FeatureMap x, int k) {
        return paramGradient(g, x, k, Boundary.PERIODIC, 1);
    }

    /** {@code S K(θ) y} with {@code θ = theta[off …]}, a {@code cout × y.c()} stencil of size {@code k}. */
    public static FeatureMap apply(double[] theta, int off, int cout, int k, Boundary b, int s, FeatureMap y) {
        int cin = y.c(), n = y.n(), h = y.h(), w = y.w(), r = (k - 1) / 2;
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s;
        FeatureMap z = new FeatureMap(oh, ow, n, cout);
        for (int yy = 0; yy < oh; yy++) {
            for (int xx = 0; xx < ow; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double sum = 0;
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int px = pixel(s * yy + dy - r, s * xx + dx - r, h, w, b);
                                    if (px >= 0) {
                                        sum += theta[off + Stencil.index(cin, k, o, c, dy, dx)] * y.data()[(px * n + i) * cin + c];
                                    }
                                }
                            }
                        }
                        z.data()[((yy * ow + xx) * n + i) * cout + o] = (float) sum;
                    }
                }
            }
        }
        return z;
    }

    /** {@code K(θ)ᵀ Sᵀ z}, mapping {@code cout = z.c()} channels back to {@code cin} on an {@code h × w} image. */
    public static FeatureMap applyTranspose(double[] theta, int off, int cin, int k, Boundary b, int s, int h, int w,
                                            FeatureMap z) {
        int cout = z.c(), n = z.n(), oh = z.h(), ow = z.w(), r = (k - 1) / 2;
        double[] acc = new double[h * w * n * cin];
        for (int yy = 0; yy < oh; yy++) {
            for (int xx = 0; xx < ow; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double v = z.data()[((yy * ow + xx) * n + i) * cout + o];
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int px = pixel(s * yy + dy - r, s * xx + dx - r, h, w, b);
                                    if (px >= 0) {
                                        acc[(px * n + i) * cin + c] += theta[off + Stencil.index(cin, k, o, c, dy, dx)] * v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        FeatureMap y = new FeatureMap(h, w, n, cin);
        for (int j = 0; j < acc.length; j++) {
            y.data()[j] = (float) acc[j];
        }
        return y;
    }

    /** Gradient of {@code ⟨g, S K(θ) x⟩} with respect to θ: {@code Σ g_o(y) x_c(s·y + a)}. */
    public static double[] paramGradient(FeatureMap g, FeatureMap x, int k, Boundary b, int s) {
        int cout = g.c(), cin = x.c(), n = x.n(), h = x.h(), w = x.w(), oh = g.h(), ow = g.w(), r = (k - 1) / 2;
        double[] grad = new double[Stencil.paramCount(cout, cin, k)];
        for (int yy = 0; yy < oh; yy++) {
            for (int xx = 0; xx < ow; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double gv = g.data()[((yy * ow + xx) * n + i) * cout + o];
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int px = pixel(s * yy + dy - r, s * xx + dx - r, h, w, b);
                                    if (px >= 0) {
                                        grad[Stencil.index(cin, k, o, c, dy, dx)] += gv * x.data()[(px * n + i) * cin + c];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return grad;
    }

    /** The pixel index {@code y·w + x} read at {@code (y, x)}, or −1 for a zero beyond the edge. */
    private static int pixel(int y, int x, int h, int w, Boundary b) {
        if (b == Boundary.PERIODIC) {
            return Math.floorMod(y, h) * w + Math.floorMod(x, w);
        }
        return y < 0 || y >= h || x < 0 || x >= w ? -1 : y * w + x;
    }
}
