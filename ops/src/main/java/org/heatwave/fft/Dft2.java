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
 * <p>Method: separable, one dimension at a time, each as a dense product with a precomputed twiddle
 * matrix in which the innermost loop runs over all {@code n·c} planes of a pixel (unit stride, so the JIT
 * vectorises it). For the small images of this field (7–32 px) this beats per-plane FFTs, whose loops are
 * only {@code w} long; the output lands directly in the per-frequency {@code [n][c]} blocks that channel
 * mixing needs. Cost per plane {@code ≈ 2·h·w·(w/2+1) + 4·h²·(w/2+1)} multiply-adds. Instances are
 * immutable and thread-safe; buffers are the caller's.
 */
public final class Dft2 {
    private final int h;
    private final int w;
    private final int wf;
    /** Forward along w: {@code cos(2π kw x / w)} and {@code −sin(…)}, index {@code x·wf + kw}. */
    private final float[] cw;
    private final float[] sw;
    /** Inverse along w, Hermitian weights and 1/(h·w) folded in: index {@code kw·w + x}. */
    private final float[] icw;
    private final float[] isw;
    /** Along h, {@code cos(2π kh y / h)} and {@code sin(…)}: index {@code kh·h + y}. */
    private final float[] ch;
    private final float[] sh;

    /** Plans the transform for {@code h × w} images. */
    public Dft2(int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
        }
        this.h = h;
        this.w = w;
        this.wf = w / 2 + 1;
        cw = new float[w * wf];
        sw = new float[w * wf];
        icw = new float[wf * w];
        isw = new float[wf * w];
        double scale = 1.0 / ((double) h * w);
        for (int x = 0; x < w; x++) {
            for (int kw = 0; kw < wf; kw++) {
                double a = 2 * Math.PI * (((long) kw * x) % w) / w;
                cw[x * wf + kw] = (float) Math.cos(a);
                sw[x * wf + kw] = (float) -Math.sin(a);
                double weight = hermitianWeight(kw, w) * scale;
                icw[kw * w + x] = (float) (weight * Math.cos(a));
                isw[kw * w + x] = (float) (weight * Math.sin(a));
            }
        }
        ch = new float[h * h];
        sh = new float[h * h];
        for (int kh = 0; kh < h; kh++) {
            for (int y = 0; y < h; y++) {
                double a = 2 * Math.PI * (((long) kh * y) % h) / h;
                ch[kh * h + y] = (float) Math.cos(a);
                sh[kh * h + y] = (float) Math.sin(a);
            }
        }
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
        float[] x = in.data();
        float[] tre = new float[h * wf * nc];
        float[] tim = new float[h * wf * nc];
        // along w: t[y][kw][j] = Σ_x X[y][x][j] e^{-2πi kw x / w}
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int src = (y * w + xx) * nc;
                for (int kw = 0; kw < wf; kw++) {
                    float c = cw[xx * wf + kw];
                    float s = sw[xx * wf + kw];
                    int dst = (y * wf + kw) * nc;
                    for (int j = 0; j < nc; j++) {
                        float v = x[src + j];
                        tre[dst + j] += c * v;
                        tim[dst + j] += s * v;
                    }
                }
            }
        }
        // along h: s[kh][kw][j] = Σ_y t[y][kw][j] e^{-2πi kh y / h}
        float[] ore = out.re(), oim = out.im();
        java.util.Arrays.fill(ore, 0f);
        java.util.Arrays.fill(oim, 0f);
        for (int kh = 0; kh < h; kh++) {
            for (int y = 0; y < h; y++) {
                float c = ch[kh * h + y];
                float s = -sh[kh * h + y];
                for (int kw = 0; kw < wf; kw++) {
                    int src = (y * wf + kw) * nc;
                    int dst = (kh * wf + kw) * nc;
                    for (int j = 0; j < nc; j++) {
                        float ar = tre[src + j], ai = tim[src + j];
                        ore[dst + j] += c * ar - s * ai;
                        oim[dst + j] += s * ar + c * ai;
                    }
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
        float[] sre = in.re(), sim = in.im();
        float[] tre = new float[h * wf * nc];
        float[] tim = new float[h * wf * nc];
        // along h: t[y][kw][j] = Σ_kh s[kh][kw][j] e^{+2πi kh y / h}
        for (int y = 0; y < h; y++) {
            for (int kh = 0; kh < h; kh++) {
                float c = ch[kh * h + y];
                float s = sh[kh * h + y];
                for (int kw = 0; kw < wf; kw++) {
                    int src = (kh * wf + kw) * nc;
                    int dst = (y * wf + kw) * nc;
                    for (int j = 0; j < nc; j++) {
                        float ar = sre[src + j], ai = sim[src + j];
                        tre[dst + j] += c * ar - s * ai;
                        tim[dst + j] += s * ar + c * ai;
                    }
                }
            }
        }
        // along w: X[y][x][j] = Σ_kw weight · Re(t[y][kw][j] e^{+2πi kw x / w}) / (h w)
        float[] o = out.data();
        java.util.Arrays.fill(o, 0f);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int dst = (y * w + xx) * nc;
                for (int kw = 0; kw < wf; kw++) {
                    float c = icw[kw * w + xx];
                    float s = isw[kw * w + xx];
                    int src = (y * wf + kw) * nc;
                    for (int j = 0; j < nc; j++) {
                        o[dst + j] += c * tre[src + j] - s * tim[src + j];
                    }
                }
            }
        }
    }

    /** Convenience: a new feature map holding the inverse transform of {@code in}. */
    public FeatureMap inverse(Spectrum in) {
        FeatureMap f = new FeatureMap(h, w, in.n(), in.c());
        inverse(in, f);
        return f;
    }

    private void check(int mh, int mw, int nc, Spectrum s) {
        if (mh != h || mw != w || s.h() != h || s.w() != w || s.n() * s.c() != nc) {
            throw new IllegalArgumentException("DFT planned for " + h + "x" + w + " got a map of " + mh + "x" + mw
                    + " and a spectrum of " + s.h() + "x" + s.w());
        }
    }
}
