package org.heatwave.kernels;

import org.heatwave.conv.Boundary;
import org.heatwave.conv.Stencil;

/**
 * The discrete Laplacian on images (seed 001, "Discretization of ∇²"): in 2-D
 * {@code L = I ⊗ L_x + L_y ⊗ I} with the 1-D second difference {@code [1 −2 1]/h²}, i.e. the 5-point
 * stencil {@code (1/h²)[0 1 0; 1 −4 1; 0 1 0]} for square pixels — "any differential operator with
 * constant coefficients can be written as convolution and vice versa". Used on classifier weights viewed
 * as images for the smoothness regulariser {@code ½‖L W‖²}, and as a stencil for the convolutions.
 * Symmetric for both boundary conditions (zero: Dirichlet as in the seed's {@code spdiags}; periodic).
 */
public final class Laplacian {
    private Laplacian() {
    }

    /** The 3×3 stencil (row-major) for pixel sizes {@code hy × hx}. */
    public static double[] stencil(double hy, double hx) {
        double ay = 1 / (hy * hy);
        double ax = 1 / (hx * hx);
        return new double[] {0, ay, 0, ax, -2 * (ax + ay), ax, 0, ay, 0};
    }

    /** A channel-diagonal kernel ({@link Stencil} layout, {@code channels × channels}, 3×3): L on every channel. */
    public static double[] kernel(int channels, double hy, double hx) {
        double[] one = stencil(hy, hx);
        double[] theta = new double[Stencil.paramCount(channels, channels, 3)];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(one, 0, theta, Stencil.index(channels, 3, c, c, 0, 0), 9);
        }
        return theta;
    }

    /** {@code L y} for a row-major {@code h × w} plane in float64. */
    public static double[] apply(double[] y, int h, int w, double hy, double hx, Boundary boundary) {
        if (y.length != h * w) {
            throw new IllegalArgumentException("plane of " + h + "x" + w + " needs " + h * w + " values, got " + y.length);
        }
        double ay = 1 / (hy * hy);
        double ax = 1 / (hx * hx);
        double[] out = new double[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double v = y[i * w + j];
                out[i * w + j] = ay * (at(y, i - 1, j, h, w, boundary) - 2 * v + at(y, i + 1, j, h, w, boundary))
                        + ax * (at(y, i, j - 1, h, w, boundary) - 2 * v + at(y, i, j + 1, h, w, boundary));
            }
        }
        return out;
    }

    private static double at(double[] y, int i, int j, int h, int w, Boundary b) {
        if (b == Boundary.PERIODIC) {
            return y[Math.floorMod(i, h) * w + Math.floorMod(j, w)];
        }
        return i < 0 || i >= h || j < 0 || j >= w ? 0 : y[i * w + j];
    }
}
