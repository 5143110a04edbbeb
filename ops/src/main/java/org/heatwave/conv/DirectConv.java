package org.heatwave.conv;

import org.heatwave.tensor.FeatureMap;

/**
 * The slow, obviously-correct reference for {@link SpectralConv}: periodic multichannel cross-correlation
 * evaluated by its defining sum ({@link Stencil}), its transpose and its parameter gradient, in float64
 * accumulation. Used by tests only as the ground truth; never in a hot path.
 */
public final class DirectConv {
    private DirectConv() {
    }

    /** {@code K(θ) y} with {@code θ = theta[off …]}, a {@code cout × y.c()} stencil of size {@code k}. */
    public static FeatureMap apply(double[] theta, int off, int cout, int k, FeatureMap y) {
        int cin = y.c(), n = y.n(), h = y.h(), w = y.w(), r = (k - 1) / 2;
        FeatureMap z = new FeatureMap(h, w, n, cout);
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double s = 0;
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int sy = Math.floorMod(yy + dy - r, h), sx = Math.floorMod(xx + dx - r, w);
                                    s += theta[off + Stencil.index(cin, k, o, c, dy, dx)]
                                            * y.data()[((sy * w + sx) * n + i) * cin + c];
                                }
                            }
                        }
                        z.data()[((yy * w + xx) * n + i) * cout + o] = (float) s;
                    }
                }
            }
        }
        return z;
    }

    /** {@code K(θ)ᵀ z}, mapping {@code cout = z.c()} channels back to {@code cin}. */
    public static FeatureMap applyTranspose(double[] theta, int off, int cin, int k, FeatureMap z) {
        int cout = z.c(), n = z.n(), h = z.h(), w = z.w(), r = (k - 1) / 2;
        double[] acc = new double[h * w * n * cin];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double v = z.data()[((yy * w + xx) * n + i) * cout + o];
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int sy = Math.floorMod(yy + dy - r, h), sx = Math.floorMod(xx + dx - r, w);
                                    acc[((sy * w + sx) * n + i) * cin + c] += theta[off + Stencil.index(cin, k, o, c, dy, dx)] * v;
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

    /** Gradient of {@code ⟨g, K(θ) x⟩} with respect to θ: {@code Σ_x g_o(x) x_c(x + a)}. */
    public static double[] paramGradient(FeatureMap g, FeatureMap x, int k) {
        int cout = g.c(), cin = x.c(), n = x.n(), h = x.h(), w = x.w(), r = (k - 1) / 2;
        double[] grad = new double[Stencil.paramCount(cout, cin, k)];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < cout; o++) {
                        double gv = g.data()[((yy * w + xx) * n + i) * cout + o];
                        for (int c = 0; c < cin; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int sy = Math.floorMod(yy + dy - r, h), sx = Math.floorMod(xx + dx - r, w);
                                    grad[Stencil.index(cin, k, o, c, dy, dx)] += gv * x.data()[((sy * w + sx) * n + i) * cin + c];
                                }
                            }
                        }
                    }
                }
            }
        }
        return grad;
    }
}
