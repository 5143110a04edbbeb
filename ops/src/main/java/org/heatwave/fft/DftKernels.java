package org.heatwave.fft;

import org.heatwave.simd.Simd;

/**
 * The accumulation loops of {@link Dft2}, element-wise over a chunk of {@code len} planes, each summing
 * twiddle-weighted rows into a few accumulator rows:
 *
 * <pre>
 *   columns (along h, output pair k, h−k):  for y = 1 … m, c = cos[off+y−1], s = sign·sin[off+y−1]:
 *       a_r += c·U_r,y + s·V_i,y   b_r += c·U_r,y − s·V_i,y   a_i += c·U_i,y − s·V_r,y   b_i += c·U_i,y + s·V_r,y
 *   forward rows (along w, output kw):      for x = from … to: t_r += cos[off+x−1]·u_x,  t_i += sin[off+x−1]·v_x
 *   inverse rows (along w, outputs x, w−x):  for kw = 1 … wf−1, c = cos[off+kw], s = −sin[off+kw]:
 *       a += c·r_kw + s·i_kw,   b += c·r_kw − s·i_kw
 * </pre>
 *
 * Every element sees the same operations in the same order in both implementations — products, then
 * {@code a = a + (p ± q)} or {@code a = a + p}, no fused multiply-add — so they agree bit for bit. The
 * plain loops reload and store the accumulators for every term; the Vector API version
 * ({@link VectorDft}) keeps them in registers.
 */
abstract class DftKernels {
    private static final DftKernels INSTANCE = Simd.load(DftKernels.class, "org.heatwave.fft.VectorDft", Plain::new);

    /** The implementation in use. */
    static DftKernels get() {
        return INSTANCE;
    }

    /** The plain-loop implementation (the reference). */
    static DftKernels plain() {
        return new Plain();
    }

    abstract void columns(float[] ar, float[] br, float[] ai, float[] bi, float[][] ur, float[][] ui, float[][] vr,
                          float[][] vi, float[] cos, float[] sin, int off, int m, float sign, int len);

    abstract void forwardRows(float[] tr, float[] ti, float[][] u, float[][] v, float[] cos, float[] sin, int off,
                              int from, int to, int len);

    abstract void inverseRows(float[] a, float[] b, float[][] r, float[][] im, int t0, float[] cos, float[] sin,
                              int off, int wf, int len);

    /** Planes {@code [j0, len)} of {@link #columns}: the plain loops, also the vectorised kernel's tail. */
    static void columnsFrom(float[] ar, float[] br, float[] ai, float[] bi, float[][] ur, float[][] ui, float[][] vr,
                            float[][] vi, float[] cos, float[] sin, int off, int m, float sign, int j0, int len) {
        for (int y = 1; y <= m; y++) {
            float c = cos[off + y - 1];
            float s = sign * sin[off + y - 1];
            float[] u = ur[y - 1];
            float[] v = vi[y - 1];
            float[] u2 = ui[y - 1];
            float[] v2 = vr[y - 1];
            for (int j = j0; j < len; j++) {
                float p = c * u[j];
                float q = s * v[j];
                ar[j] = ar[j] + (p + q);
                br[j] = br[j] + (p - q);
                float p2 = c * u2[j];
                float q2 = -s * v2[j];
                ai[j] = ai[j] + (p2 + q2);
                bi[j] = bi[j] + (p2 - q2);
            }
        }
    }

    /** Planes {@code [j0, len)} of {@link #forwardRows}. */
    static void forwardRowsFrom(float[] tr, float[] ti, float[][] u, float[][] v, float[] cos, float[] sin, int off,
                                int from, int to, int j0, int len) {
        for (int x = from; x <= to; x++) {
            float c = cos[off + x - 1];
            float s = sin[off + x - 1];
            float[] a = u[x - 1];
            float[] b = v[x - 1];
            for (int j = j0; j < len; j++) {
                tr[j] = tr[j] + c * a[j];
                ti[j] = ti[j] + s * b[j];
            }
        }
    }

    /** Planes {@code [j0, len)} of {@link #inverseRows}. */
    static void inverseRowsFrom(float[] a, float[] b, float[][] r, float[][] im, int t0, float[] cos, float[] sin,
                                int off, int wf, int j0, int len) {
        for (int kw = 1; kw < wf; kw++) {
            float c = cos[off + kw];
            float s = -sin[off + kw];
            float[] x = r[t0 + kw];
            float[] y = im[t0 + kw];
            for (int j = j0; j < len; j++) {
                float p = c * x[j];
                float q = s * y[j];
                a[j] = a[j] + (p + q);
                b[j] = b[j] + (p - q);
            }
        }
    }

    private static final class Plain extends DftKernels {
        @Override
        void columns(float[] ar, float[] br, float[] ai, float[] bi, float[][] ur, float[][] ui, float[][] vr,
                     float[][] vi, float[] cos, float[] sin, int off, int m, float sign, int len) {
            columnsFrom(ar, br, ai, bi, ur, ui, vr, vi, cos, sin, off, m, sign, 0, len);
        }

        @Override
        void forwardRows(float[] tr, float[] ti, float[][] u, float[][] v, float[] cos, float[] sin, int off,
                         int from, int to, int len) {
            forwardRowsFrom(tr, ti, u, v, cos, sin, off, from, to, 0, len);
        }

        @Override
        void inverseRows(float[] a, float[] b, float[][] r, float[][] im, int t0, float[] cos, float[] sin,
                         int off, int wf, int len) {
            inverseRowsFrom(a, b, r, im, t0, cos, sin, off, wf, 0, len);
        }
    }
}
