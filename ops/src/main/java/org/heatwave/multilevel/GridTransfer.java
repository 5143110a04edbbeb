package org.heatwave.multilevel;

import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * Restriction and prolongation between an image of {@code H × W} pixels and one of {@code H/2 × W/2}
 * (seed 000, "Scaling Convolution Operators: Algebraic"; seeds 002 and 003 for multilevel training).
 * Along each axis, with coarse cells {@code i} and fine cells {@code 2i, 2i+1}:
 *
 * <pre>
 *   R (averaging):              (R f)_i    = (f_{2i} + f_{2i+1}) / 2
 *   P (linear, cell-centred):   (P c)_{2i}   = ¾ c_i + ¼ c_{i−1},   (P c)_{2i+1} = ¾ c_i + ¼ c_{i+1}
 * </pre>
 *
 * with {@code c_{−1} = c_0} and {@code c_n = c_{n−1}} at the edges — the seed's matrices exactly (its
 * {@code P} for {@code n_c = 3} starts with the row {@code [1]}). In 2-D both are tensor products: 2×2
 * averaging and bilinear interpolation. Both preserve constants.
 *
 * <p>These two are <em>not</em> adjoint to each other. The exact pairs, used wherever a transpose is
 * needed (derivatives, Galerkin products), are
 * {@code Rᵀ = ¼ · (piecewise-constant copy)} ({@link #averageAdjoint}) and {@code Pᵀ}, which is 4× the
 * full-weighting restriction ({@link #interpolateAdjoint}); {@code R} and piecewise-constant copying are
 * thus adjoint up to the factor 4, and so are {@code P} and full weighting.
 *
 * <p>Plane operations work in float64 on row-major {@code h × w} arrays; {@link Batch} operations apply
 * them to every {@code (example, channel)} plane.
 */
public final class GridTransfer {
    private static final double NEAR = 0.75;
    private static final double FAR = 0.25;

    private GridTransfer() {
    }

    /** {@code R f}: 2×2 averaging of an {@code h × w} plane (h and w even). */
    public static double[] average(double[] f, int h, int w) {
        requireEven(h, w);
        requireLength(f, h, w);
        int ch = h / 2;
        int cw = w / 2;
        double[] c = new double[ch * cw];
        for (int i = 0; i < ch; i++) {
            for (int j = 0; j < cw; j++) {
                int a = 2 * i * w + 2 * j;
                c[i * cw + j] = (f[a] + f[a + 1] + f[a + w] + f[a + w + 1]) / 4;
            }
        }
        return c;
    }

    /** {@code Rᵀ c}: each coarse pixel of an {@code h × w} plane spread as ¼ over its 2×2 fine pixels. */
    public static double[] averageAdjoint(double[] c, int h, int w) {
        requireLength(c, h, w);
        int fw = 2 * w;
        double[] f = new double[4 * h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double v = c[i * w + j] / 4;
                int a = 2 * i * fw + 2 * j;
                f[a] = v;
                f[a + 1] = v;
                f[a + fw] = v;
                f[a + fw + 1] = v;
            }
        }
        return f;
    }

    /** {@code P c}: bilinear (cell-centred) interpolation of an {@code h × w} plane to {@code 2h × 2w}. */
    public static double[] interpolate(double[] c, int h, int w) {
        requireLength(c, h, w);
        double[] rows = new double[h * 2 * w];
        for (int i = 0; i < h; i++) {
            interpolateLine(c, i * w, 1, w, rows, i * 2 * w, 1);
        }
        double[] f = new double[4 * h * w];
        for (int j = 0; j < 2 * w; j++) {
            interpolateLine(rows, j, 2 * w, h, f, j, 2 * w);
        }
        return f;
    }

    /** {@code Pᵀ f} for an {@code h × w} fine plane (h and w even): 4× full weighting. */
    public static double[] interpolateAdjoint(double[] f, int h, int w) {
        requireEven(h, w);
        requireLength(f, h, w);
        int ch = h / 2;
        int cw = w / 2;
        double[] cols = new double[ch * w];
        for (int j = 0; j < w; j++) {
            interpolateLineAdjoint(f, j, w, ch, cols, j, w);
        }
        double[] c = new double[ch * cw];
        for (int i = 0; i < ch; i++) {
            interpolateLineAdjoint(cols, i * w, 1, cw, c, i * cw, 1);
        }
        return c;
    }

    /** {@code R f} along one axis: pairs of a line of even length averaged. */
    public static double[] average(double[] f) {
        requireEven(2, f.length);
        double[] c = new double[f.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = (f[2 * i] + f[2 * i + 1]) / 2;
        }
        return c;
    }

    /** {@code P c} along one axis: linear (cell-centred) interpolation of a line to twice its length. */
    public static double[] interpolate(double[] c) {
        double[] f = new double[2 * c.length];
        interpolateLine(c, 0, 1, c.length, f, 0, 1);
        return f;
    }

    /** {@link #average} of every plane of a batch. */
    public static Batch average(Batch fine) {
        Shape s = fine.shape();
        requireEven(s.h(), s.w());
        return perPlane(fine, s.h() / 2, s.w() / 2, p -> average(p, s.h(), s.w()));
    }

    /** {@link #interpolate} of every plane of a batch. */
    public static Batch interpolate(Batch coarse) {
        Shape s = coarse.shape();
        return perPlane(coarse, 2 * s.h(), 2 * s.w(), p -> interpolate(p, s.h(), s.w()));
    }

    /** {@link #averageAdjoint} of every plane of a batch. */
    public static Batch averageAdjoint(Batch coarse) {
        Shape s = coarse.shape();
        return perPlane(coarse, 2 * s.h(), 2 * s.w(), p -> averageAdjoint(p, s.h(), s.w()));
    }

    /** {@link #interpolateAdjoint} of every plane of a batch. */
    public static Batch interpolateAdjoint(Batch fine) {
        Shape s = fine.shape();
        requireEven(s.h(), s.w());
        return perPlane(fine, s.h() / 2, s.w() / 2, p -> interpolateAdjoint(p, s.h(), s.w()));
    }

    private static Batch perPlane(Batch in, int oh, int ow, java.util.function.UnaryOperator<double[]> op) {
        Shape s = in.shape();
        int planes = s.n() * s.c();
        int ip = s.h() * s.w();
        int op2 = oh * ow;
        float[] out = new float[planes * op2];
        double[] plane = new double[ip];
        float[] src = in.data();
        for (int p = 0; p < planes; p++) {
            for (int j = 0; j < ip; j++) {
                plane[j] = src[p * ip + j];
            }
            double[] r = op.apply(plane);
            for (int j = 0; j < op2; j++) {
                out[p * op2 + j] = (float) r[j];
            }
        }
        return new Batch(new Shape(s.n(), s.c(), oh, ow), out);
    }

    /** One line of {@code n} coarse values (stride {@code cs}) interpolated to {@code 2n} fine values (stride {@code fs}). */
    private static void interpolateLine(double[] c, int c0, int cs, int n, double[] f, int f0, int fs) {
        for (int i = 0; i < n; i++) {
            double mid = c[c0 + i * cs];
            double left = c[c0 + Math.max(i - 1, 0) * cs];
            double right = c[c0 + Math.min(i + 1, n - 1) * cs];
            f[f0 + 2 * i * fs] = NEAR * mid + FAR * left;
            f[f0 + (2 * i + 1) * fs] = NEAR * mid + FAR * right;
        }
    }

    /** The transpose of {@link #interpolateLine}: {@code 2n} fine values to {@code n} coarse values. */
    private static void interpolateLineAdjoint(double[] f, int f0, int fs, int n, double[] c, int c0, int cs) {
        for (int i = 0; i < n; i++) {
            c[c0 + i * cs] = 0;
        }
        for (int i = 0; i < n; i++) {
            double even = f[f0 + 2 * i * fs];
            double odd = f[f0 + (2 * i + 1) * fs];
            c[c0 + i * cs] += NEAR * (even + odd);
            c[c0 + Math.max(i - 1, 0) * cs] += FAR * even;
            c[c0 + Math.min(i + 1, n - 1) * cs] += FAR * odd;
        }
    }

    private static void requireEven(int h, int w) {
        if (h % 2 != 0 || w % 2 != 0 || h < 2 || w < 2) {
            throw new IllegalArgumentException("cannot restrict a " + h + "x" + w + " plane: both sides must be even and ≥ 2");
        }
    }

    private static void requireLength(double[] a, int h, int w) {
        if (a.length != h * w) {
            throw new IllegalArgumentException("plane of " + h + "x" + w + " needs " + h * w + " values, got " + a.length);
        }
    }
}
