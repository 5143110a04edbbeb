package org.heatwave.conv;

import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;

/**
 * Multichannel periodic convolution {@code K(θ)} (seed 001: a {@code c_out × c_in} block matrix of BCCB
 * blocks) applied in Fourier space, where it is a small complex matrix per frequency:
 *
 * <pre>ẑ_f[i][o] = Σ_c K̂_f[o][c] ŷ_f[i][c],   (Kᵀ z)^_f[i][c] = Σ_o conj(K̂_f[o][c]) ẑ_f[i][o]</pre>
 *
 * and the parameter gradient of {@code ⟨G, K(θ) X⟩} is the correlation
 * {@code ∂/∂θ[o][c][a] = Σ_x G_o(x) X_c(x + a) = (1/N) Σ_k conj(Ĝ_o(k)) X̂_c(k) e^{+2πi k·a/N}}, accumulated
 * per frequency over the batch (float32 within a micro-batch, float64 across) and turned into stencil entries once.
 *
 * <p>Stencil convention: {@link Stencil}. The per-frequency products run in {@link SpectralMixing}
 * (register-blocked SIMD when the Vector API is available), directly on the spectra's {@code [f][n][c]}
 * blocks: no transposes. Instances are immutable and thread-safe.
 */
public final class SpectralConv {
    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;
    private final int nf;
    /** {@code cos} and {@code sin} of {@code 2π(kh·ay/h + kw·ax/w)} per stencil tap: rows {@code [tap][f]}. */
    private final double[][] tapCos;
    private final double[][] tapSin;
    /** The same times the Hermitian weight / (h·w) of each frequency, for the stencil gradient: [tap][f]. */
    private final double[][] gradCos;
    private final double[][] gradSin;

    /**
     * @param cout output channels
     * @param cin  input channels
     * @param k    stencil size (odd)
     * @param h    image height
     * @param w    image width
     */
    public SpectralConv(int cout, int cin, int k, int h, int w) {
        Stencil.requireOdd(k);
        if (k > h || k > w) {
            throw new IllegalArgumentException("a " + k + "x" + k + " stencil does not fit a periodic " + h + "x" + w + " image");
        }
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.h = h;
        this.w = w;
        int wf = w / 2 + 1;
        this.nf = Spectrum.frequencies(h, w);
        int r = (k - 1) / 2;
        tapCos = new double[k * k][nf];
        tapSin = new double[k * k][nf];
        gradCos = new double[k * k][nf];
        gradSin = new double[k * k][nf];
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                int tap = dy * k + dx;
                for (int kh = 0; kh < h; kh++) {
                    for (int kw = 0; kw < wf; kw++) {
                        long py = Math.floorMod((long) kh * (dy - r), h);
                        long px = Math.floorMod((long) kw * (dx - r), w);
                        double a = 2 * Math.PI * ((double) py / h + (double) px / w);
                        int f = kh * wf + kw;
                        double c = Math.cos(a);
                        double s = Math.sin(a);
                        double weight = Dft2.hermitianWeight(kw, w) / ((double) h * w);
                        tapCos[tap][f] = c;
                        tapSin[tap][f] = s;
                        gradCos[tap][f] = weight * c;
                        gradSin[tap][f] = weight * s;
                    }
                }
            }
        }
    }

    public int cout() {
        return cout;
    }

    public int cin() {
        return cin;
    }

    public int stencilSize() {
        return k;
    }

    public int h() {
        return h;
    }

    public int w() {
        return w;
    }

    /** Number of stencil parameters. */
    public int paramCount() {
        return Stencil.paramCount(cout, cin, k);
    }

    /** The Fourier symbol of the stencil {@code theta[off … off + paramCount())}. */
    public KernelSpectrum spectrum(double[] theta, int off) {
        int pq = cout * cin;
        int taps = k * k;
        // stencil entries by tap, in the [c][o] order of the forward matrices
        double[][] byTap = new double[taps][pq];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                int base = off + (o * cin + c) * taps;
                for (int tap = 0; tap < taps; tap++) {
                    byTap[tap][c * cout + o] = theta[base + tap];
                }
            }
        }
        float[] re = new float[nf * pq];
        float[] im = new float[nf * pq];
        float[] adjRe = new float[nf * pq];
        float[] adjIm = new float[nf * pq];
        double[] sr = new double[pq];
        double[] si = new double[pq];
        for (int f = 0; f < nf; f++) {
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(si, 0);
            for (int tap = 0; tap < taps; tap++) {
                axpy2(sr, si, byTap[tap], tapCos[tap][f], tapSin[tap][f], pq);
            }
            int base = f * pq;
            for (int c = 0; c < cin; c++) {
                for (int o = 0; o < cout; o++) {
                    int j = c * cout + o;
                    re[base + j] = (float) sr[j];
                    im[base + j] = (float) si[j];
                    adjRe[base + o * cin + c] = (float) sr[j];
                    adjIm[base + o * cin + c] = (float) -si[j];
                }
            }
        }
        return new KernelSpectrum(cout, cin, nf, re, im, adjRe, adjIm);
    }

    /** {@code z (+)= alpha · K y} in Fourier space; {@code z} is overwritten unless {@code accumulate}. */
    public void apply(KernelSpectrum kernel, Spectrum y, Spectrum z, float alpha, boolean accumulate) {
        check(y, cin, "input of K");
        check(z, cout, "output of K");
        checkKernel(kernel, y, z);
        SpectralMixing.mix(y.re(), y.im(), y.n(), cin, kernel.re(), kernel.im(), cout, z.re(), z.im(), nf,
                alpha, accumulate);
    }

    /** {@code y (+)= alpha · Kᵀ z} in Fourier space; {@code y} is overwritten unless {@code accumulate}. */
    public void applyTranspose(KernelSpectrum kernel, Spectrum z, Spectrum y, float alpha, boolean accumulate) {
        check(z, cout, "input of Kᵀ");
        check(y, cin, "output of Kᵀ");
        checkKernel(kernel, z, y);
        SpectralMixing.mix(z.re(), z.im(), z.n(), cout, kernel.adjointRe(), kernel.adjointIm(), cin, y.re(), y.im(),
                nf, alpha, accumulate);
    }

    /** A zero accumulator for {@link #accumulateCorrelation}. */
    public Correlation newCorrelation() {
        return new Correlation(cout, cin, nf);
    }

    /**
     * {@code P_f[o][c] += alpha Σ_i conj(ĝ_f[i][o]) x̂_f[i][c]} (the sum over i in float32, added to P in float64):
     * the per-frequency part of the gradient of {@code ⟨G, K(θ) X⟩}; finish with {@link #addStencilGradient}.
     */
    public void accumulateCorrelation(Spectrum g, Spectrum x, float alpha, Correlation p) {
        check(g, cout, "output cotangent");
        check(x, cin, "input");
        if (g.n() != x.n()) {
            throw new IllegalArgumentException("cotangent has " + g.n() + " examples but input " + x.n());
        }
        checkCorrelation(p);
        SpectralMixing.correlate(g.re(), g.im(), cout, x.re(), x.im(), cin, g.n(), nf, alpha, p.re(), p.im());
    }

    /**
     * {@code grad[off + index(o, c, a)] += (1/N) Σ_k Re(P_k[o][c] e^{+2πi k·a/N})} over the full spectrum
     * (Hermitian weights on the stored half), in float64.
     */
    public void addStencilGradient(Correlation p, double[] grad, int off) {
        checkCorrelation(p);
        int taps = k * k;
        int pq = cout * cin;
        double[] re = p.re();
        double[] im = p.im();
        double[] sum = new double[pq];
        for (int tap = 0; tap < taps; tap++) {
            java.util.Arrays.fill(sum, 0);
            double[] gc = gradCos[tap];
            double[] gs = gradSin[tap];
            for (int f = 0; f < nf; f++) {
                int base = f * pq;
                double a = gc[f];
                double b = -gs[f];
                for (int j = 0; j < pq; j++) {
                    sum[j] += a * re[base + j] + b * im[base + j];
                }
            }
            for (int j = 0; j < pq; j++) {
                grad[off + j * taps + tap] += sum[j];
            }
        }
    }

    /** {@code re += t·c}, {@code im += t·s}. */
    private static void axpy2(double[] re, double[] im, double[] t, double c, double s, int len) {
        for (int j = 0; j < len; j++) {
            re[j] += c * t[j];
            im[j] += s * t[j];
        }
    }

    private void checkKernel(KernelSpectrum kernel, Spectrum in, Spectrum out) {
        if (kernel.cout() != cout || kernel.cin() != cin || kernel.frequencies() != nf) {
            throw new IllegalArgumentException("kernel spectrum " + kernel.cout() + "<-" + kernel.cin()
                    + " does not belong to convolution " + cout + "<-" + cin + " on " + h + "x" + w);
        }
        if (in.n() != out.n()) {
            throw new IllegalArgumentException("input has " + in.n() + " examples but output " + out.n());
        }
    }

    private void checkCorrelation(Correlation p) {
        if (p.cout() != cout || p.cin() != cin || p.frequencies() != nf) {
            throw new IllegalArgumentException("correlation accumulator " + p.cout() + "<-" + p.cin()
                    + " does not belong to convolution " + cout + "<-" + cin + " on " + h + "x" + w);
        }
    }

    private void check(Spectrum s, int channels, String what) {
        if (s.h() != h || s.w() != w || s.c() != channels) {
            throw new IllegalArgumentException(what + ": convolution " + cout + "<-" + cin + " on " + h + "x" + w
                    + " expects " + channels + " channels of " + h + "x" + w + " but got " + s.c() + " of " + s.h() + "x" + s.w());
        }
    }
}
