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
 * per frequency over the batch and turned into stencil entries once.
 *
 * <p>Stencil convention: {@link Stencil}. The per-frequency products run over all examples of the batch
 * with the output channel innermost, so each is a dense, vectorisable {@code [n × c_in]·[c_in × c_out]}
 * complex product (DESIGN.md §6). Instances are immutable and thread-safe.
 */
public final class SpectralConv {
    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;
    private final int wf;
    private final int nf;
    /** {@code cos} and {@code sin} of {@code 2π(kh·ay/h + kw·ax/w)} per stencil tap and frequency: [tap][f]. */
    private final float[] tapCos;
    private final float[] tapSin;
    /** Hermitian weight / (h·w) per frequency, for turning correlations into stencil gradients. */
    private final double[] gradWeight;

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
        this.wf = w / 2 + 1;
        this.nf = Spectrum.frequencies(h, w);
        int r = (k - 1) / 2;
        tapCos = new float[k * k * nf];
        tapSin = new float[k * k * nf];
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                int tap = dy * k + dx;
                for (int kh = 0; kh < h; kh++) {
                    for (int kw = 0; kw < wf; kw++) {
                        long py = Math.floorMod((long) kh * (dy - r), h);
                        long px = Math.floorMod((long) kw * (dx - r), w);
                        double a = 2 * Math.PI * ((double) py / h + (double) px / w);
                        tapCos[tap * nf + kh * wf + kw] = (float) Math.cos(a);
                        tapSin[tap * nf + kh * wf + kw] = (float) Math.sin(a);
                    }
                }
            }
        }
        gradWeight = new double[nf];
        for (int kh = 0; kh < h; kh++) {
            for (int kw = 0; kw < wf; kw++) {
                gradWeight[kh * wf + kw] = Dft2.hermitianWeight(kw, w) / ((double) h * w);
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
        float[] fr = new float[nf * cin * cout];
        float[] fi = new float[nf * cin * cout];
        float[] ar = new float[nf * cin * cout];
        float[] ai = new float[nf * cin * cout];
        int taps = k * k;
        double[] re = new double[nf];
        double[] im = new double[nf];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                int base = off + (o * cin + c) * taps;
                for (int tap = 0; tap < taps; tap++) {
                    double t = theta[base + tap];
                    if (t == 0) {
                        continue;
                    }
                    for (int f = 0; f < nf; f++) {
                        re[f] += t * tapCos[tap * nf + f];
                        im[f] += t * tapSin[tap * nf + f];
                    }
                }
                for (int f = 0; f < nf; f++) {
                    int fwd = (f * cin + c) * cout + o;
                    int adj = (f * cout + o) * cin + c;
                    fr[fwd] = (float) re[f];
                    fi[fwd] = (float) im[f];
                    ar[adj] = (float) re[f];
                    ai[adj] = (float) -im[f];
                }
            }
        }
        return new KernelSpectrum(cout, cin, nf, fr, fi, ar, ai);
    }

    /** {@code z (+)= alpha · K y} in Fourier space; {@code z} is overwritten unless {@code accumulate}. */
    public void apply(KernelSpectrum kernel, Spectrum y, Spectrum z, float alpha, boolean accumulate) {
        check(y, cin, "input of K");
        check(z, cout, "output of K");
        mix(kernel.forwardRe(), kernel.forwardIm(), y, z, cin, cout, alpha, accumulate);
    }

    /** {@code y (+)= alpha · Kᵀ z} in Fourier space; {@code y} is overwritten unless {@code accumulate}. */
    public void applyTranspose(KernelSpectrum kernel, Spectrum z, Spectrum y, float alpha, boolean accumulate) {
        check(z, cout, "input of Kᵀ");
        check(y, cin, "output of Kᵀ");
        mix(kernel.adjointRe(), kernel.adjointIm(), z, y, cout, cin, alpha, accumulate);
    }

    /** {@code out_f[i][q] (+)= alpha Σ_p in_f[i][p] M_f[p][q]} for every frequency f. */
    private void mix(float[] mr, float[] mi, Spectrum in, Spectrum out, int p, int q, float alpha, boolean acc) {
        int n = in.n();
        float[] xr = in.re(), xi = in.im(), zr = out.re(), zi = out.im();
        if (!acc) {
            java.util.Arrays.fill(zr, 0f);
            java.util.Arrays.fill(zi, 0f);
        }
        for (int f = 0; f < nf; f++) {
            int mBase = f * p * q;
            for (int i = 0; i < n; i++) {
                int inBase = (f * n + i) * p;
                int outBase = (f * n + i) * q;
                for (int a = 0; a < p; a++) {
                    float vr = alpha * xr[inBase + a];
                    float vi = alpha * xi[inBase + a];
                    int m = mBase + a * q;
                    for (int b = 0; b < q; b++) {
                        float kr = mr[m + b], ki = mi[m + b];
                        zr[outBase + b] += vr * kr - vi * ki;
                        zi[outBase + b] += vr * ki + vi * kr;
                    }
                }
            }
        }
    }

    /** A zeroed accumulator for {@link #accumulateCorrelation}: {@code [f][o][c]}, real and imaginary. */
    public float[][] newCorrelation() {
        return new float[][] {new float[nf * cout * cin], new float[nf * cout * cin]};
    }

    /**
     * {@code P_f[o][c] += alpha Σ_i conj(ĝ_f[i][o]) x̂_f[i][c]}: the per-frequency part of the gradient of
     * {@code ⟨G, K(θ) X⟩}; finish with {@link #addStencilGradient}.
     */
    public void accumulateCorrelation(Spectrum g, Spectrum x, float alpha, float[][] p) {
        check(g, cout, "output cotangent");
        check(x, cin, "input");
        if (g.n() != x.n()) {
            throw new IllegalArgumentException("cotangent has " + g.n() + " examples but input " + x.n());
        }
        int n = g.n();
        float[] gr = g.re(), gi = g.im(), xr = x.re(), xi = x.im(), pr = p[0], pi = p[1];
        for (int f = 0; f < nf; f++) {
            for (int i = 0; i < n; i++) {
                int gBase = (f * n + i) * cout;
                int xBase = (f * n + i) * cin;
                for (int o = 0; o < cout; o++) {
                    float ar = alpha * gr[gBase + o];
                    float ai = alpha * gi[gBase + o];
                    int pBase = (f * cout + o) * cin;
                    for (int c = 0; c < cin; c++) {
                        float br = xr[xBase + c], bi = xi[xBase + c];
                        pr[pBase + c] += ar * br + ai * bi;
                        pi[pBase + c] += ar * bi - ai * br;
                    }
                }
            }
        }
    }

    /**
     * {@code grad[off + index(o, c, a)] += (1/N) Σ_k Re(P_k[o][c] e^{+2πi k·a/N})} over the full spectrum
     * (Hermitian weights on the stored half).
     */
    public void addStencilGradient(float[][] p, double[] grad, int off) {
        float[] pr = p[0], pi = p[1];
        int taps = k * k;
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int tap = 0; tap < taps; tap++) {
                    double s = 0;
                    for (int f = 0; f < nf; f++) {
                        int idx = (f * cout + o) * cin + c;
                        s += gradWeight[f] * ((double) pr[idx] * tapCos[tap * nf + f] - (double) pi[idx] * tapSin[tap * nf + f]);
                    }
                    grad[off + (o * cin + c) * taps + tap] += s;
                }
            }
        }
    }

    private void check(Spectrum s, int channels, String what) {
        if (s.h() != h || s.w() != w || s.c() != channels) {
            throw new IllegalArgumentException(what + ": convolution " + cout + "<-" + cin + " on " + h + "x" + w
                    + " expects " + channels + " channels of " + h + "x" + w + " but got " + s.c() + " of " + s.h() + "x" + s.w());
        }
    }
}
