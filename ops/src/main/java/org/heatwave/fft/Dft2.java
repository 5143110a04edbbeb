package org.heatwave.fft;

import org.heatwave.tensor.FeatureMap;

/**
 * The 2-D real discrete Fourier transform of a whole stack of planes, {@link FeatureMap} ⇄
 * {@link Spectrum}, for one image size {@code h × w}.
 *
 * <p>Equation: {@code ŷ(kh, kw) = Σ_{y,x} Y(y, x) e^{−2πi (kh·y/h + kw·x/w)}} for {@code kw ≤ w/2}, and
 * the inverse {@code Y(y, x) = (1/(h·w)) Σ_{kh, kw} ŷ(kh, kw) e^{+2πi(…)}} over the full (Hermitian)
 * spectrum. Periodic convolutions are diagonal in this basis (seed 001: BCCB matrices).
 *
 * <p>Method: separable, one dimension at a time, each a dense DFT folded by its symmetries, with every
 * inner loop running over a chunk of the {@code n·c} planes of a pixel (so the JIT vectorises it):
 * <ul>
 *   <li>along w (real data): {@code X_x} and {@code X_{w−x}} share {@code cos} and have opposite
 *       {@code sin}, so the sums run over {@code u = X_x + X_{w−x}} and {@code v = X_x − X_{w−x}} for
 *       {@code 0 < x < w/2};</li>
 *   <li>along h (complex data): the same pairing of {@code y} with {@code h−y}, and in addition the outputs
 *       {@code kh} and {@code h−kh} share every product ({@code cos} even, {@code sin} odd), so one pass
 *       over {@code 0 < y < h/2} produces both.</li>
 * </ul>
 * That is about a quarter of the arithmetic of the plain dense products, and stays exact to float32
 * rounding for any size (no radix restrictions). The planes are processed in chunks of at most
 * {@value #CHUNK}: the chunk is copied into per-thread row buffers (one array per pixel row, so that all
 * arrays of a loop share the index and C2's SuperWord can prove them independent), transformed along w
 * into an {@code [h][wf]} grid of rows, then along h column by column, whose {@code 2h} rows stay in L1.
 * Instances are immutable and thread-safe (the scratch rows are thread-local); the arguments are the
 * caller's.
 */
public final class Dft2 {
    /** Planes per chunk: long enough for full-width vector loops, small enough for L1/L2 residency. */
    private static final int CHUNK = 128;
    /** The accumulation loops (register-blocked SIMD when available). */
    private static final DftKernels KERNELS = DftKernels.get();

    private final int h;
    private final int w;
    private final int wf;
    /** Number of pairs {@code (x, w−x)} with {@code 0 < x < w − x}. */
    private final int mw;
    /** Number of pairs {@code (y, h−y)} with {@code 0 < y < h − y}. */
    private final int mh;
    /** Forward along w: {@code cos(2π kw x / w)} and {@code −sin(…)}, index {@code kw·mw + x − 1}. */
    private final float[] fcw;
    private final float[] fsw;
    /**
     * Inverse along w, Hermitian weight and 1/(h·w) folded in: {@code a_kw cos(2π kw x / w)} and
     * {@code a_kw sin(…)}, index {@code x·wf + kw} for {@code 0 ≤ x ≤ w/2}.
     */
    private final float[] icw;
    private final float[] isw;
    /** Along h: {@code cos(2π kh y / h)} and {@code sin(…)}, index {@code kh·mh + y − 1}, {@code kh ≤ h/2}. */
    private final float[] ch;
    private final float[] sh;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();

    /** Plans the transform for {@code h × w} images. */
    public Dft2(int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
        }
        this.h = h;
        this.w = w;
        this.wf = w / 2 + 1;
        this.mw = (w - 1) / 2;
        this.mh = (h - 1) / 2;
        fcw = new float[wf * mw];
        fsw = new float[wf * mw];
        for (int kw = 0; kw < wf; kw++) {
            for (int x = 1; x <= mw; x++) {
                double a = angle(kw, x, w);
                fcw[kw * mw + x - 1] = (float) Math.cos(a);
                fsw[kw * mw + x - 1] = (float) -Math.sin(a);
            }
        }
        icw = new float[(w / 2 + 1) * wf];
        isw = new float[(w / 2 + 1) * wf];
        double scale = 1.0 / ((double) h * w);
        for (int x = 0; x <= w / 2; x++) {
            for (int kw = 0; kw < wf; kw++) {
                double a = angle(kw, x, w);
                double weight = hermitianWeight(kw, w) * scale;
                icw[x * wf + kw] = (float) (weight * Math.cos(a));
                isw[x * wf + kw] = (float) (weight * Math.sin(a));
            }
        }
        ch = new float[(h / 2 + 1) * mh];
        sh = new float[(h / 2 + 1) * mh];
        for (int kh = 0; kh <= h / 2; kh++) {
            for (int y = 1; y <= mh; y++) {
                double a = angle(kh, y, h);
                ch[kh * mh + y - 1] = (float) Math.cos(a);
                sh[kh * mh + y - 1] = (float) Math.sin(a);
            }
        }
    }

    /** {@code 2π (k·x mod n) / n}, reduced exactly before the division. */
    private static double angle(int k, int x, int n) {
        return 2 * Math.PI * (((long) k * x) % n) / n;
    }

    /**
     * How many full-spectrum coefficients the half-spectrum column {@code kw} stands for: 1 for
     * {@code kw = 0} and, for even {@code w}, {@code kw = w/2}; 2 otherwise.
     */
    public static int hermitianWeight(int kw, int w) {
        return (kw == 0 || 2 * kw == w) ? 1 : 2;
    }

    public int h() {
        return h;
    }

    public int w() {
        return w;
    }

    /** Transforms all planes of {@code in} into {@code out} (overwritten). */
    public void forward(FeatureMap in, Spectrum out) {
        check(in.h(), in.w(), in.n() * in.c(), out);
        if (in.n() != out.n() || in.c() != out.c()) {
            throw new IllegalArgumentException("spectrum " + out.n() + "x" + out.c() + " for map " + in.dims());
        }
        int nc = in.n() * in.c();
        int chunks = (nc + CHUNK - 1) / CHUNK;
        int step = (nc + chunks - 1) / chunks;
        Scratch s = scratch(step);
        for (int j0 = 0; j0 < nc; j0 += step) {
            int len = Math.min(step, nc - j0);
            forwardRows(in.data(), nc, j0, len, s);
            for (int kw = 0; kw < wf; kw++) {
                columns(s, kw, len, false);
                for (int kh = 0; kh < h; kh++) {
                    int dst = (kh * wf + kw) * nc + j0;
                    System.arraycopy(s.sr[kh], 0, out.re(), dst, len);
                    System.arraycopy(s.si[kh], 0, out.im(), dst, len);
                }
            }
        }
    }

    /** Convenience: a new spectrum of {@code in}. */
    public Spectrum forward(FeatureMap in) {
        Spectrum s = new Spectrum(h, w, in.n(), in.c());
        forward(in, s);
        return s;
    }

    /**
     * Inverse transform of {@code in} into {@code out} (overwritten). Only the real part is kept, which is
     * exact for the Hermitian spectra of real signals.
     */
    public void inverse(Spectrum in, FeatureMap out) {
        check(out.h(), out.w(), out.n() * out.c(), in);
        int nc = in.n() * in.c();
        int chunks = (nc + CHUNK - 1) / CHUNK;
        int step = (nc + chunks - 1) / chunks;
        Scratch s = scratch(step);
        for (int j0 = 0; j0 < nc; j0 += step) {
            int len = Math.min(step, nc - j0);
            for (int kw = 0; kw < wf; kw++) {
                for (int kh = 0; kh < h; kh++) {
                    int src = (kh * wf + kw) * nc + j0;
                    System.arraycopy(in.re(), src, s.sr[kh], 0, len);
                    System.arraycopy(in.im(), src, s.si[kh], 0, len);
                }
                columns(s, kw, len, true);
            }
            inverseRows(out.data(), nc, j0, len, s);
        }
    }

    /** Convenience: a new feature map holding the inverse transform of {@code in}. */
    public FeatureMap inverse(Spectrum in) {
        FeatureMap f = new FeatureMap(h, w, in.n(), in.c());
        inverse(in, f);
        return f;
    }

    /**
     * Along w for the planes {@code [j0, j0 + len)} of every pixel row:
     * {@code t[y][kw] = X_0 + (−1)^kw X_{w/2} + Σ_x cos·u_x − i Σ_x sin·v_x}.
     */
    private void forwardRows(float[] data, int nc, int j0, int len, Scratch s) {
        float[][] x = s.x;
        float[][] u = s.ur;
        float[][] v = s.vr;
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                System.arraycopy(data, (y * w + xx) * nc + j0, x[xx], 0, len);
            }
            for (int xx = 1; xx <= mw; xx++) {
                sumDiff(u[xx - 1], v[xx - 1], x[xx], x[w - xx], len);
            }
            for (int kw = 0; kw < wf; kw++) {
                float[] tr = s.tr[y * wf + kw];
                float[] ti = s.ti[y * wf + kw];
                if (w % 2 == 0) {
                    combine(tr, x[0], x[w / 2], kw % 2 == 0 ? 1f : -1f, len);
                } else {
                    System.arraycopy(x[0], 0, tr, 0, len);
                }
                if (mw == 0) {
                    java.util.Arrays.fill(ti, 0, len, 0f);
                    continue;
                }
                scale(ti, v[0], fsw[kw * mw], len);
                axpy(tr, u[0], fcw[kw * mw], len);
                KERNELS.forwardRows(tr, ti, u, v, fcw, fsw, kw * mw, 2, mw, len);
            }
        }
    }

    /**
     * The inverse along w for the planes {@code [j0, j0 + len)}: {@code X_x = Σ_kw a_kw (cos·Re t_kw −
     * sin·Im t_kw)}, with {@code X_x} and {@code X_{w−x}} computed together.
     */
    private void inverseRows(float[] data, int nc, int j0, int len, Scratch s) {
        float[][] x = s.x;
        for (int y = 0; y < h; y++) {
            float[][] tr = s.tr;
            float[][] ti = s.ti;
            int t0 = y * wf;
            float a0 = icw[0];
            scale(x[0], tr[t0], a0, len);
            if (w % 2 == 0) {
                scale(x[w / 2], tr[t0], a0, len);
            }
            for (int xx = 1; xx <= mw; xx++) {
                scale(x[xx], tr[t0], a0, len);
                System.arraycopy(x[xx], 0, x[w - xx], 0, len);
            }
            for (int kw = 1; kw < wf; kw++) {
                float[] r = tr[t0 + kw];
                if (w % 2 == 0) {
                    axpyBoth(x[0], x[w / 2], r, icw[kw], icw[(w / 2) * wf + kw], len);
                } else {
                    axpy(x[0], r, icw[kw], len);
                }
            }
            for (int xx = 1; xx <= mw; xx++) {
                KERNELS.inverseRows(x[xx], x[w - xx], tr, ti, t0, icw, isw, xx * wf, wf, len);
            }
            for (int xx = 0; xx < w; xx++) {
                System.arraycopy(x[xx], 0, data, (y * w + xx) * nc + j0, len);
            }
        }
    }

    /**
     * The complex DFT along h of column {@code kw}: forward from the rows {@code t[·][kw]} into
     * {@code sr/si[kh]}, or ({@code inverse}) from {@code sr/si[kh]} back into {@code t[·][kw]} with the
     * conjugate twiddles. Pairs {@code (y, h−y)} are folded into {@code U = a_y + a_{h−y}},
     * {@code V = a_y − a_{h−y}}, and each pass produces the outputs {@code k} and {@code h−k} at once.
     */
    private void columns(Scratch s, int kw, int len, boolean inverse) {
        float[][] inR = s.colR;
        float[][] inI = s.colI;
        float[][] outR = s.colR2;
        float[][] outI = s.colI2;
        for (int y = 0; y < h; y++) {
            if (inverse) {
                inR[y] = s.sr[y];
                inI[y] = s.si[y];
                outR[y] = s.tr[y * wf + kw];
                outI[y] = s.ti[y * wf + kw];
            } else {
                inR[y] = s.tr[y * wf + kw];
                inI[y] = s.ti[y * wf + kw];
                outR[y] = s.sr[y];
                outI[y] = s.si[y];
            }
        }
        float[][] ur = s.ur;
        float[][] ui = s.ui;
        float[][] vr = s.vr;
        float[][] vi = s.vi;
        for (int y = 1; y <= mh; y++) {
            sumDiff(ur[y - 1], vr[y - 1], inR[y], inR[h - y], len);
            sumDiff(ui[y - 1], vi[y - 1], inI[y], inI[h - y], len);
        }
        float sign = inverse ? -1f : 1f;
        for (int k = 0; k <= h / 2; k++) {
            boolean paired = k >= 1 && k <= mh;
            float[] ar = outR[k];
            float[] ai = outI[k];
            if (h % 2 == 0) {
                float e = k % 2 == 0 ? 1f : -1f;
                combine(ar, inR[0], inR[h / 2], e, len);
                combine(ai, inI[0], inI[h / 2], e, len);
            } else {
                System.arraycopy(inR[0], 0, ar, 0, len);
                System.arraycopy(inI[0], 0, ai, 0, len);
            }
            if (paired) {
                float[] br = outR[h - k];
                float[] bi = outI[h - k];
                System.arraycopy(ar, 0, br, 0, len);
                System.arraycopy(ai, 0, bi, 0, len);
                KERNELS.columns(ar, br, ai, bi, ur, ui, vr, vi, ch, sh, k * mh, mh, sign, len);
            } else {
                for (int y = 1; y <= mh; y++) {
                    axpy2(ar, ai, ur[y - 1], ui[y - 1], ch[k * mh + y - 1], ch[k * mh + y - 1], len);
                }
            }
        }
    }

    /** {@code u = a + b}, {@code v = a − b}. */
    private static void sumDiff(float[] u, float[] v, float[] a, float[] b, int len) {
        for (int j = 0; j < len; j++) {
            float p = a[j];
            float q = b[j];
            u[j] = p + q;
            v[j] = p - q;
        }
    }

    /** {@code d = a + e·b}. */
    private static void combine(float[] d, float[] a, float[] b, float e, int len) {
        for (int j = 0; j < len; j++) {
            d[j] = a[j] + e * b[j];
        }
    }

    /** {@code d = c·a}. */
    private static void scale(float[] d, float[] a, float c, int len) {
        for (int j = 0; j < len; j++) {
            d[j] = c * a[j];
        }
    }

    /** {@code d += c·a}. */
    private static void axpy(float[] d, float[] a, float c, int len) {
        for (int j = 0; j < len; j++) {
            d[j] += c * a[j];
        }
    }

    /** {@code d += ca·u}, {@code e += cb·u}. */
    private static void axpyBoth(float[] d, float[] e, float[] u, float ca, float cb, int len) {
        for (int j = 0; j < len; j++) {
            float p = u[j];
            d[j] += ca * p;
            e[j] += cb * p;
        }
    }

    /** {@code d += c·a}, {@code e += s·b}. */
    private static void axpy2(float[] d, float[] e, float[] a, float[] b, float c, float s, int len) {
        for (int j = 0; j < len; j++) {
            d[j] += c * a[j];
            e[j] += s * b[j];
        }
    }

    private Scratch scratch(int len) {
        Scratch s = scratch.get();
        if (s == null || s.len < len) {
            s = new Scratch(h, w, wf, len);
            scratch.set(s);
        }
        return s;
    }

    /** Per-thread row buffers, each row {@code len} planes long. */
    private static final class Scratch {
        final int len;
        /** One image row, {@code w} pixels. */
        final float[][] x;
        /** The grid after the pass along w: {@code [y·wf + kw]}. */
        final float[][] tr;
        final float[][] ti;
        /** One spectrum column, {@code h} frequencies. */
        final float[][] sr;
        final float[][] si;
        /** Folded sums and differences. */
        final float[][] ur;
        final float[][] ui;
        final float[][] vr;
        final float[][] vi;
        /** Views of the current column's input and output rows (no storage of their own). */
        final float[][] colR;
        final float[][] colI;
        final float[][] colR2;
        final float[][] colI2;

        Scratch(int h, int w, int wf, int len) {
            this.len = len;
            int m = Math.max(1, Math.max((w - 1) / 2, (h - 1) / 2));
            x = new float[w][len];
            tr = new float[h * wf][len];
            ti = new float[h * wf][len];
            sr = new float[h][len];
            si = new float[h][len];
            ur = new float[m][len];
            ui = new float[m][len];
            vr = new float[m][len];
            vi = new float[m][len];
            colR = new float[h][];
            colI = new float[h][];
            colR2 = new float[h][];
            colI2 = new float[h][];
        }
    }

    private void check(int mh, int mw, int nc, Spectrum s) {
        if (mh != h || mw != w || s.h() != h || s.w() != w || s.n() * s.c() != nc) {
            throw new IllegalArgumentException("DFT planned for " + h + "x" + w + " got a map of " + mh + "x" + mw
                    + " and a spectrum of " + s.h() + "x" + s.w());
        }
    }
}
