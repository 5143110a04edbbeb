package org.heatwave.fft;

/**
 * The half spectrum of a {@link org.heatwave.tensor.FeatureMap}: for each frequency {@code (kh, kw)} with
 * {@code 0 ≤ kh < h} and {@code 0 ≤ kw ≤ w/2}, the {@code n × c} complex coefficients of all planes.
 *
 * <p>Layout: frequency-major, {@code f = kh·wf + kw} with {@code wf = w/2 + 1}; within a frequency the
 * {@code [n][c]} block is contiguous. Real and imaginary parts are split into {@link #re()} and
 * {@link #im()} so that complex products are plain float vector loops. Element {@code (f, i, ch)} is at
 * {@code (f·n + i)·c + ch}.
 *
 * <p>The spectrum of a real signal is Hermitian; the half kept here determines it. The convention is
 * {@code ŷ(k) = Σ_x y(x) e^{−2πi k·x/N}} (no scaling forward, {@code 1/(h·w)} on the way back).
 */
public final class Spectrum {
    private final int h;
    private final int w;
    private final int n;
    private final int c;
    private final float[] re;
    private final float[] im;

    /** A zero spectrum for {@code n × c} planes of {@code h × w} pixels. */
    public Spectrum(int h, int w, int n, int c) {
        this.h = h;
        this.w = w;
        this.n = n;
        this.c = c;
        int size = Math.multiplyExact(frequencies(h, w), Math.multiplyExact(n, c));
        this.re = new float[size];
        this.im = new float[size];
    }

    /** Number of stored frequencies, {@code h·(w/2 + 1)}. */
    public static int frequencies(int h, int w) {
        return h * (w / 2 + 1);
    }

    public int h() {
        return h;
    }

    public int w() {
        return w;
    }

    public int n() {
        return n;
    }

    public int c() {
        return c;
    }

    /** Number of stored frequencies. */
    public int frequencies() {
        return frequencies(h, w);
    }

    /** Real parts; callers may modify. */
    public float[] re() {
        return re;
    }

    /** Imaginary parts; callers may modify. */
    public float[] im() {
        return im;
    }

    /** The bytes of its real and imaginary parts. */
    public long bytes() {
        return 4L * (re.length + im.length);
    }

    /** A zero spectrum of the same dimensions. */
    public Spectrum zerosLike() {
        return new Spectrum(h, w, n, c);
    }

    /** A deep copy. */
    public Spectrum copy() {
        Spectrum s = new Spectrum(h, w, n, c);
        System.arraycopy(re, 0, s.re, 0, re.length);
        System.arraycopy(im, 0, s.im, 0, im.length);
        return s;
    }

    /** {@code this += alpha · other}. */
    public void addScaled(float alpha, Spectrum other) {
        if (other.re.length != re.length || other.c != c) {
            throw new IllegalArgumentException("spectrum " + n + "x" + c + " cannot add " + other.n + "x" + other.c);
        }
        float[] ore = other.re, oim = other.im;
        for (int i = 0; i < re.length; i++) {
            re[i] += alpha * ore[i];
            im[i] += alpha * oim[i];
        }
    }
}
