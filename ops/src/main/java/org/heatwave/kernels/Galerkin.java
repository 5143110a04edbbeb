package org.heatwave.kernels;

import org.heatwave.multilevel.GridTransfer;

/**
 * The Galerkin (algebraic) coarse operator of a stencil (seed 000, "Algebraic Prolongation of Convolution
 * Kernels"; seeds 002, 003): {@code K_H = R K_h P} with {@code R} averaging and {@code P} linear /
 * bilinear interpolation ({@link GridTransfer}).
 *
 * <p>Built as the seed builds it: apply {@code R K_h P} to a coarse unit vector on a grid large enough
 * that nothing reaches the boundary, and read the coarse stencil off the column at that interior node. A
 * {@code k}-point (or {@code k × k}) fine stencil with {@code k ≥ 3} gives a coarse stencil of the same
 * size (a 1×1 one gives 3×3, and is refused), so the map
 * {@code G: θ_h ↦ θ_H} is a small square matrix:
 * <ul>
 *   <li>fine → coarse: {@code θ_H = G θ_h};</li>
 *   <li>coarse → fine: the unique {@code θ_h} of the same size with {@code G θ_h = θ_H} — "only a small
 *       linear solve required" (seed 000).</li>
 * </ul>
 * Stencils follow {@link org.heatwave.conv.Stencil}'s cross-correlation convention, 2-D ones row-major.
 */
public final class Galerkin {
    private Galerkin() {
    }

    /** {@code θ_H} of {@code R K(θ_h) P} for a 1-D stencil of odd length ≥ 3. */
    public static double[] coarsen(double[] thetaFine) {
        int k = requireOdd(thetaFine.length);
        int r = k / 2;
        int nc = 2 * k + 1;
        double[] e = new double[nc];
        e[k] = 1;
        double[] c = GridTransfer.average(correlate1d(thetaFine, GridTransfer.interpolate(e)));
        double[] theta = new double[k];
        for (int d = 0; d < k; d++) {
            theta[d] = c[k + r - d];
        }
        return theta;
    }

    /** {@code θ_H} of {@code R K(θ_h) P} for a {@code k × k} stencil (row-major). */
    public static double[] coarsen2d(double[] thetaFine) {
        int k = requireOdd(squareSide(thetaFine.length));
        int r = k / 2;
        int nc = 2 * k + 1;
        double[] e = new double[nc * nc];
        e[k * nc + k] = 1;
        double[] f = GridTransfer.interpolate(e, nc, nc);
        double[] c = GridTransfer.average(correlate2d(thetaFine, k, f, 2 * nc, 2 * nc), 2 * nc, 2 * nc);
        double[] theta = new double[k * k];
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                theta[dy * k + dx] = c[(k + r - dy) * nc + (k + r - dx)];
            }
        }
        return theta;
    }

    /** The fine 1-D stencil of the same length whose Galerkin coarse operator is {@code thetaCoarse}. */
    public static double[] refine(double[] thetaCoarse) {
        requireOdd(thetaCoarse.length);
        return solve(matrix(thetaCoarse.length, false), thetaCoarse);
    }

    /** The fine {@code k × k} stencil whose Galerkin coarse operator is {@code thetaCoarse}. */
    public static double[] refine2d(double[] thetaCoarse) {
        requireOdd(squareSide(thetaCoarse.length));
        return solve(matrix(thetaCoarse.length, true), thetaCoarse);
    }

    /**
     * Every channel pair of a multichannel {@code k × k} kernel ({@link org.heatwave.conv.Stencil} layout,
     * {@code pairs} stencils from {@code theta[off]}) coarsened ({@code toCoarse}) or refined; a new array.
     */
    public static double[] kernel(double[] theta, int off, int pairs, int k, boolean toCoarse) {
        requireOdd(k);
        int taps = k * k;
        if (off < 0 || pairs < 0 || off + (long) taps * pairs > theta.length) {
            throw new IllegalArgumentException("kernel of " + pairs + " " + k + "x" + k + " stencils at " + off
                    + " does not fit a parameter vector of " + theta.length);
        }
        double[][] g = matrix(taps, true);
        double[] out = new double[taps * pairs];
        double[] one = new double[taps];
        for (int p = 0; p < pairs; p++) {
            System.arraycopy(theta, off + taps * p, one, 0, taps);
            double[] moved = toCoarse ? multiply(g, one) : solve(g, one);
            System.arraycopy(moved, 0, out, taps * p, taps);
        }
        return out;
    }

    /** {@code G} (row-major {@code [coarse tap][fine tap]}) for stencils of {@code taps} entries, 1-D or 2-D. */
    static double[][] matrix(int taps, boolean twoD) {
        double[][] g = new double[taps][taps];
        for (int t = 0; t < taps; t++) {
            double[] unit = new double[taps];
            unit[t] = 1;
            double[] col = twoD ? coarsen2d(unit) : coarsen(unit);
            for (int i = 0; i < taps; i++) {
                g[i][t] = col[i];
            }
        }
        return g;
    }

    /** {@code (K y)_i = Σ_d θ_d y_{i+d−r}}, zero outside the line. */
    private static double[] correlate1d(double[] theta, double[] y) {
        int k = theta.length;
        int r = k / 2;
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double s = 0;
            for (int d = 0; d < k; d++) {
                int j = i + d - r;
                if (j >= 0 && j < y.length) {
                    s += theta[d] * y[j];
                }
            }
            z[i] = s;
        }
        return z;
    }

    /** The 2-D cross-correlation of an {@code h × w} plane with a {@code k × k} stencil, zero outside. */
    private static double[] correlate2d(double[] theta, int k, double[] y, int h, int w) {
        int r = k / 2;
        double[] z = new double[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double s = 0;
                for (int dy = 0; dy < k; dy++) {
                    int yi = i + dy - r;
                    if (yi < 0 || yi >= h) {
                        continue;
                    }
                    for (int dx = 0; dx < k; dx++) {
                        int xj = j + dx - r;
                        if (xj >= 0 && xj < w) {
                            s += theta[dy * k + dx] * y[yi * w + xj];
                        }
                    }
                }
                z[i * w + j] = s;
            }
        }
        return z;
    }

    private static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    /** Gaussian elimination with partial pivoting; refuses a (numerically) singular G. */
    private static double[] solve(double[][] g, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            a[i] = java.util.Arrays.copyOf(g[i], n + 1);
            a[i][n] = b[i];
            for (int j = 0; j < n; j++) {
                scale = Math.max(scale, Math.abs(g[i][j]));
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            if (Math.abs(a[pivot][col]) <= 1e-12 * scale) {
                throw new IllegalStateException("the Galerkin map of " + n + "-entry stencils is singular");
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int i = col + 1; i < n; i++) {
                double m = a[i][col] / a[col][col];
                for (int j = col; j <= n; j++) {
                    a[i][j] -= m * a[col][j];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }

    private static int squareSide(int taps) {
        int k = (int) Math.round(Math.sqrt(taps));
        if (k * k != taps) {
            throw new IllegalArgumentException("a 2-D stencil needs k×k entries, got " + taps);
        }
        return k;
    }

    /**
     * An odd size ≥ 3: {@code R θI P = θ·RP} has the 3-point stencil {@code θ[1/8 3/4 1/8]}, so a 1×1
     * kernel does not keep its size under the Galerkin product.
     */
    private static int requireOdd(int k) {
        org.heatwave.conv.Stencil.requireOdd(k);
        if (k < 3) {
            throw new IllegalArgumentException("the Galerkin product of a 1x1 stencil is 3x3; it keeps the size only for k >= 3");
        }
        return k;
    }
}
