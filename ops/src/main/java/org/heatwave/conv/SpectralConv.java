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
 * <p>Stencil convention: {@link Stencil}. Method: every inner loop is a short element-wise complex
 * multiply-add over separate row arrays (one per row, so C2's SuperWord sees matching indices and
 * vectorises it; DESIGN.md §6). Which dimension the rows run over is chosen per instance:
 * <ul>
 *   <li><em>frequency rows</em> when there are more frequencies than {@value #CHANNEL_ROWS_FACTOR}× the
 *       channels (large images, few channels): for each example its {@code [f][c]} block is transposed
 *       into per-channel rows over frequencies (thread-local scratch), each output row is accumulated as
 *       element-wise products of kernel rows and input rows, and the result is transposed back;</li>
 *   <li><em>channel rows</em> otherwise: per frequency and example, the output channels of one example are
 *       one row ({@code [n][c]} blocks are already contiguous), updated by {@code x_f[i][a]·M_f[a][·]} for
 *       each input channel a, with the {@code p × q} kernel of the frequency resident in L1.</li>
 * </ul>
 * The kernel spectrum and the correlation accumulator are kept in the matching row layout.
 * Instances are immutable and thread-safe.
 */
public final class SpectralConv {
    /** Channel rows are used unless {@code frequencies > CHANNEL_ROWS_FACTOR · min(cin, cout)}. */
    private static final int CHANNEL_ROWS_FACTOR = 4;
    /** Frequencies per tile of the transposes between spectrum blocks and rows. */
    private static final int TILE = 32;

    private final int cout;
    private final int cin;
    private final int k;
    private final int h;
    private final int w;
    private final int nf;
    /** The row layout of this instance's kernel spectra and correlations (see the class comment). */
    private final boolean channelRows;
    /** {@code cos} and {@code sin} of {@code 2π(kh·ay/h + kw·ax/w)} per stencil tap: rows {@code [tap][f]}. */
    private final double[][] tapCos;
    private final double[][] tapSin;
    /** The same times the Hermitian weight / (h·w) of each frequency, for the stencil gradient: [tap][f]. */
    private final float[][] gradCos;
    private final float[][] gradSin;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();

    /**
     * @param cout output channels
     * @param cin  input channels
     * @param k    stencil size (odd)
     * @param h    image height
     * @param w    image width
     */
    public SpectralConv(int cout, int cin, int k, int h, int w) {
        this(cout, cin, k, h, w, Spectrum.frequencies(h, w) <= CHANNEL_ROWS_FACTOR * Math.min(cin, cout));
    }

    /** As the public constructor with the row layout forced, so that the two layouts can be compared. */
    SpectralConv(int cout, int cin, int k, int h, int w, boolean channelRows) {
        Stencil.requireOdd(k);
        if (k > h || k > w) {
            throw new IllegalArgumentException("a " + k + "x" + k + " stencil does not fit a periodic " + h + "x" + w + " image");
        }
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.h = h;
        this.w = w;
        this.channelRows = channelRows;
        int wf = w / 2 + 1;
        this.nf = Spectrum.frequencies(h, w);
        int r = (k - 1) / 2;
        tapCos = new double[k * k][nf];
        tapSin = new double[k * k][nf];
        gradCos = new float[k * k][nf];
        gradSin = new float[k * k][nf];
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                int tap = dy * k + dx;
                for (int kh = 0; kh < h; kh++) {
                    for (int kw = 0; kw < wf; kw++) {
                        long py = Math.floorMod((long) kh * (dy - r), h);
                        long px = Math.floorMod((long) kw * (dx - r), w);
                        double a = 2 * Math.PI * ((double) py / h + (double) px / w);
                        int f = kh * wf + kw;
                        double c = (float) Math.cos(a);
                        double s = (float) Math.sin(a);
                        double weight = Dft2.hermitianWeight(kw, w) / ((double) h * w);
                        tapCos[tap][f] = c;
                        tapSin[tap][f] = s;
                        gradCos[tap][f] = (float) (weight * c);
                        gradSin[tap][f] = (float) (weight * s);
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
        int pairs = cout * cin;
        int taps = k * k;
        float[][] pr = channelRows ? null : new float[pairs][nf];
        float[][] pi = channelRows ? null : new float[pairs][nf];
        float[][] fr = channelRows ? new float[nf * cin][cout] : null;
        float[][] fi = channelRows ? new float[nf * cin][cout] : null;
        float[][] ar = channelRows ? new float[nf * cout][cin] : null;
        float[][] ai = channelRows ? new float[nf * cout][cin] : null;
        double[] re = new double[nf];
        double[] im = new double[nf];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                int pair = o * cin + c;
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                int base = off + pair * taps;
                for (int tap = 0; tap < taps; tap++) {
                    double t = theta[base + tap];
                    if (t != 0) {
                        axpy2(re, im, tapCos[tap], tapSin[tap], t, nf);
                    }
                }
                if (channelRows) {
                    for (int f = 0; f < nf; f++) {
                        fr[f * cin + c][o] = (float) re[f];
                        fi[f * cin + c][o] = (float) im[f];
                        ar[f * cout + o][c] = (float) re[f];
                        ai[f * cout + o][c] = (float) -im[f];
                    }
                } else {
                    float[] rr = pr[pair];
                    float[] ri = pi[pair];
                    for (int f = 0; f < nf; f++) {
                        rr[f] = (float) re[f];
                        ri[f] = (float) im[f];
                    }
                }
            }
        }
        return channelRows
                ? new KernelSpectrum(cout, cin, nf, true, fr, fi, ar, ai)
                : new KernelSpectrum(cout, cin, nf, false, pr, pi, null, null);
    }

    /** {@code z (+)= alpha · K y} in Fourier space; {@code z} is overwritten unless {@code accumulate}. */
    public void apply(KernelSpectrum kernel, Spectrum y, Spectrum z, float alpha, boolean accumulate) {
        check(y, cin, "input of K");
        check(z, cout, "output of K");
        checkKernel(kernel, y, z);
        if (channelRows) {
            mixChannels(kernel.re(), kernel.im(), y, z, cin, cout, alpha, accumulate);
        } else {
            mixFrequencies(kernel, false, y, z, cin, cout, alpha, accumulate);
        }
    }

    /** {@code y (+)= alpha · Kᵀ z} in Fourier space; {@code y} is overwritten unless {@code accumulate}. */
    public void applyTranspose(KernelSpectrum kernel, Spectrum z, Spectrum y, float alpha, boolean accumulate) {
        check(z, cout, "input of Kᵀ");
        check(y, cin, "output of Kᵀ");
        checkKernel(kernel, z, y);
        if (channelRows) {
            mixChannels(kernel.adjointRe(), kernel.adjointIm(), z, y, cout, cin, alpha, accumulate);
        } else {
            mixFrequencies(kernel, true, z, y, cout, cin, alpha, accumulate);
        }
    }

    /**
     * Channel rows: {@code out_f[i][·] (+)= alpha Σ_a in_f[i][a] M_f[a][·]} with the kernel rows
     * {@code m[f·p + a]} over the q output channels.
     */
    private void mixChannels(float[][] mr, float[][] mi, Spectrum in, Spectrum out, int p, int q,
                             float alpha, boolean acc) {
        int n = in.n();
        float[] xr = in.re();
        float[] xi = in.im();
        float[] zr = out.re();
        float[] zi = out.im();
        Scratch s = scratch();
        float[] or = s.rowR;
        float[] oi = s.rowI;
        for (int f = 0; f < nf; f++) {
            int row = f * p;
            for (int i = 0; i < n; i++) {
                int src = (f * n + i) * p;
                int dst = (f * n + i) * q;
                float vr = alpha * xr[src];
                float vi = alpha * xi[src];
                if (acc) {
                    System.arraycopy(zr, dst, or, 0, q);
                    System.arraycopy(zi, dst, oi, 0, q);
                    caxpy(or, oi, mr[row], mi[row], vr, vi, q);
                } else {
                    cscale(or, oi, mr[row], mi[row], vr, vi, q);
                }
                for (int a = 1; a < p; a++) {
                    caxpy(or, oi, mr[row + a], mi[row + a], alpha * xr[src + a], alpha * xi[src + a], q);
                }
                System.arraycopy(or, 0, zr, dst, q);
                System.arraycopy(oi, 0, zi, dst, q);
            }
        }
    }

    /**
     * Frequency rows: {@code out_f[i][b] (+)= alpha Σ_a in_f[i][a] M_f[a][b]} for every frequency f, with
     * {@code M_f[c][o] = K̂_f[o][c]} or, for the adjoint, {@code M_f[o][c] = conj(K̂_f[o][c])}.
     */
    private void mixFrequencies(KernelSpectrum kernel, boolean adjoint, Spectrum in, Spectrum out, int p, int q,
                                float alpha, boolean acc) {
        int n = in.n();
        float[][] kr = kernel.re();
        float[][] ki = kernel.im();
        Scratch s = scratch();
        float[][] xr = s.ar;
        float[][] xi = s.ai;
        float[][] zr = s.br;
        float[][] zi = s.bi;
        for (int i = 0; i < n; i++) {
            gather(in.re(), in.im(), n, p, i, alpha, xr, xi);
            for (int b = 0; b < q; b++) {
                float[] or = zr[b];
                float[] oi = zi[b];
                if (adjoint) {
                    cmulConj(or, oi, kr[b], ki[b], xr[0], xi[0], nf);
                    for (int a = 1; a < p; a++) {
                        cmacConj(or, oi, kr[a * cin + b], ki[a * cin + b], xr[a], xi[a], nf);
                    }
                } else {
                    int row = b * cin;
                    cmul(or, oi, kr[row], ki[row], xr[0], xi[0], nf);
                    for (int a = 1; a < p; a++) {
                        cmac(or, oi, kr[row + a], ki[row + a], xr[a], xi[a], nf);
                    }
                }
            }
            scatter(zr, zi, n, q, i, out.re(), out.im(), acc);
        }
    }

    /**
     * A zeroed accumulator for {@link #accumulateCorrelation}, in this instance's row layout: real parts
     * in the first half of the rows, imaginary parts in the second; frequency rows {@code [o·cin + c][f]},
     * or channel rows {@code [f·cout + o][c]}.
     */
    public float[][] newCorrelation() {
        return channelRows ? new float[2 * nf * cout][cin] : new float[2 * cout * cin][nf];
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
        checkCorrelation(p);
        int n = g.n();
        Scratch s = scratch();
        if (channelRows) {
            float[] gre = g.re();
            float[] gim = g.im();
            float[] xr = s.rowR;
            float[] xi = s.rowI;
            int half = nf * cout;
            for (int f = 0; f < nf; f++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x.re(), (f * n + i) * cin, xr, 0, cin);
                    System.arraycopy(x.im(), (f * n + i) * cin, xi, 0, cin);
                    int src = (f * n + i) * cout;
                    for (int o = 0; o < cout; o++) {
                        int row = f * cout + o;
                        caxpy(p[row], p[half + row], xr, xi, alpha * gre[src + o], -alpha * gim[src + o], cin);
                    }
                }
            }
            return;
        }
        int pairs = cout * cin;
        float[][] gr = s.ar;
        float[][] gi = s.ai;
        float[][] xr = s.br;
        float[][] xi = s.bi;
        for (int i = 0; i < n; i++) {
            gather(g.re(), g.im(), n, cout, i, alpha, gr, gi);
            gather(x.re(), x.im(), n, cin, i, 1f, xr, xi);
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    int pair = o * cin + c;
                    cmacConj(p[pair], p[pairs + pair], gr[o], gi[o], xr[c], xi[c], nf);
                }
            }
        }
    }

    /**
     * {@code grad[off + index(o, c, a)] += (1/N) Σ_k Re(P_k[o][c] e^{+2πi k·a/N})} over the full spectrum
     * (Hermitian weights on the stored half). Vectorised over channels (frequency-row accumulators are
     * first transposed to one row of all pairs per frequency); partial sums in float over {@value #TILE}
     * frequencies at a time, accumulated in double.
     */
    public void addStencilGradient(float[][] p, double[] grad, int off) {
        checkCorrelation(p);
        int taps = k * k;
        if (channelRows) {
            int half = nf * cout;
            for (int o = 0; o < cout; o++) {
                for (int tap = 0; tap < taps; tap++) {
                    double[] sum = stencilSums(p, o, cout, half, cin, tap);
                    int base = off + o * cin * taps + tap;
                    for (int c = 0; c < cin; c++) {
                        grad[base + c * taps] += sum[c];
                    }
                }
            }
        } else {
            int pairs = cout * cin;
            float[][] t = byFrequency(p);
            for (int tap = 0; tap < taps; tap++) {
                double[] sum = stencilSums(t, 0, 1, nf, pairs, tap);
                for (int pair = 0; pair < pairs; pair++) {
                    grad[off + pair * taps + tap] += sum[pair];
                }
            }
        }
    }

    /**
     * {@code Σ_f gradCos[tap][f]·rows[f·stride + first] − gradSin[tap][f]·rows[half + f·stride + first]},
     * element-wise over rows of length {@code len}.
     */
    private double[] stencilSums(float[][] rows, int first, int stride, int half, int len, int tap) {
        float[] gc = gradCos[tap];
        float[] gs = gradSin[tap];
        double[] sum = new double[len];
        float[] acc = new float[len];
        for (int f0 = 0; f0 < nf; f0 += TILE) {
            int f1 = Math.min(nf, f0 + TILE);
            java.util.Arrays.fill(acc, 0f);
            for (int f = f0; f < f1; f++) {
                int row = f * stride + first;
                axpy2(acc, rows[row], rows[half + row], gc[f], -gs[f], len);
            }
            for (int j = 0; j < len; j++) {
                sum[j] += acc[j];
            }
        }
        return sum;
    }

    /** Frequency-row correlation {@code [o·cin + c][f]} re-laid as rows {@code [f][o·cin + c]} (then imaginary). */
    private float[][] byFrequency(float[][] p) {
        int pairs = cout * cin;
        float[][] t = new float[2 * nf][pairs];
        for (int part = 0; part < 2; part++) {
            for (int f0 = 0; f0 < nf; f0 += TILE) {
                int f1 = Math.min(nf, f0 + TILE);
                for (int pair = 0; pair < pairs; pair++) {
                    float[] src = p[part * pairs + pair];
                    for (int f = f0; f < f1; f++) {
                        t[part * nf + f][pair] = src[f];
                    }
                }
            }
        }
        return t;
    }

    /**
     * Rows {@code r[a][f] = alpha·re[(f·n + i)·p + a]} (and likewise the imaginary parts): example i's
     * block, transposed in tiles of {@value #TILE} frequencies so that the strided reads stay in L1.
     */
    private void gather(float[] re, float[] im, int n, int p, int i, float alpha, float[][] r, float[][] m) {
        int stride = n * p;
        for (int f0 = 0; f0 < nf; f0 += TILE) {
            int f1 = Math.min(nf, f0 + TILE);
            for (int a = 0; a < p; a++) {
                float[] rr = r[a];
                float[] mm = m[a];
                int src = (f0 * n + i) * p + a;
                for (int f = f0; f < f1; f++, src += stride) {
                    rr[f] = alpha * re[src];
                    mm[f] = alpha * im[src];
                }
            }
        }
    }

    /** The inverse of {@link #gather} (without scaling), overwriting or adding to example i's block. */
    private void scatter(float[][] r, float[][] m, int n, int q, int i, float[] re, float[] im, boolean acc) {
        int stride = n * q;
        for (int f0 = 0; f0 < nf; f0 += TILE) {
            int f1 = Math.min(nf, f0 + TILE);
            for (int b = 0; b < q; b++) {
                float[] rr = r[b];
                float[] mm = m[b];
                int dst = (f0 * n + i) * q + b;
                if (acc) {
                    for (int f = f0; f < f1; f++, dst += stride) {
                        re[dst] += rr[f];
                        im[dst] += mm[f];
                    }
                } else {
                    for (int f = f0; f < f1; f++, dst += stride) {
                        re[dst] = rr[f];
                        im[dst] = mm[f];
                    }
                }
            }
        }
    }

    /** {@code o = m·x} (complex, element-wise). */
    private static void cmul(float[] or, float[] oi, float[] mr, float[] mi, float[] xr, float[] xi, int len) {
        for (int f = 0; f < len; f++) {
            float a = mr[f];
            float b = mi[f];
            float c = xr[f];
            float d = xi[f];
            or[f] = a * c - b * d;
            oi[f] = a * d + b * c;
        }
    }

    /** {@code o += m·x} (complex, element-wise). */
    private static void cmac(float[] or, float[] oi, float[] mr, float[] mi, float[] xr, float[] xi, int len) {
        for (int f = 0; f < len; f++) {
            float a = mr[f];
            float b = mi[f];
            float c = xr[f];
            float d = xi[f];
            or[f] += a * c - b * d;
            oi[f] += a * d + b * c;
        }
    }

    /** {@code o = conj(m)·x} (complex, element-wise). */
    private static void cmulConj(float[] or, float[] oi, float[] mr, float[] mi, float[] xr, float[] xi, int len) {
        for (int f = 0; f < len; f++) {
            float a = mr[f];
            float b = mi[f];
            float c = xr[f];
            float d = xi[f];
            or[f] = a * c + b * d;
            oi[f] = a * d - b * c;
        }
    }

    /** {@code o += conj(m)·x} (complex, element-wise). */
    private static void cmacConj(float[] or, float[] oi, float[] mr, float[] mi, float[] xr, float[] xi, int len) {
        for (int f = 0; f < len; f++) {
            float a = mr[f];
            float b = mi[f];
            float c = xr[f];
            float d = xi[f];
            or[f] += a * c + b * d;
            oi[f] += a * d - b * c;
        }
    }

    /** {@code o += (vr + i·vi)·m} (complex row times complex scalar). */
    private static void caxpy(float[] or, float[] oi, float[] mr, float[] mi, float vr, float vi, int len) {
        for (int j = 0; j < len; j++) {
            float a = mr[j];
            float b = mi[j];
            or[j] += vr * a - vi * b;
            oi[j] += vr * b + vi * a;
        }
    }

    /** {@code o = (vr + i·vi)·m}. */
    private static void cscale(float[] or, float[] oi, float[] mr, float[] mi, float vr, float vi, int len) {
        for (int j = 0; j < len; j++) {
            float a = mr[j];
            float b = mi[j];
            or[j] = vr * a - vi * b;
            oi[j] = vr * b + vi * a;
        }
    }

    /** {@code re += t·c}, {@code im += t·s}. */
    private static void axpy2(double[] re, double[] im, double[] c, double[] s, double t, int len) {
        for (int f = 0; f < len; f++) {
            re[f] += t * c[f];
            im[f] += t * s[f];
        }
    }

    /** {@code d += a·u + b·v}. */
    private static void axpy2(float[] d, float[] u, float[] v, float a, float b, int len) {
        for (int j = 0; j < len; j++) {
            d[j] += a * u[j] + b * v[j];
        }
    }

    private Scratch scratch() {
        Scratch s = scratch.get();
        if (s == null) {
            s = new Scratch(Math.max(cin, cout), channelRows ? 0 : nf);
            scratch.set(s);
        }
        return s;
    }

    /** Per-thread rows: one example's transposed blocks (frequency rows), or one channel row. */
    private static final class Scratch {
        final float[][] ar;
        final float[][] ai;
        final float[][] br;
        final float[][] bi;
        final float[] rowR;
        final float[] rowI;

        Scratch(int channels, int nf) {
            ar = new float[channels][nf];
            ai = new float[channels][nf];
            br = new float[channels][nf];
            bi = new float[channels][nf];
            rowR = new float[channels];
            rowI = new float[channels];
        }
    }

    private void checkKernel(KernelSpectrum kernel, Spectrum in, Spectrum out) {
        if (kernel.cout() != cout || kernel.cin() != cin || kernel.frequencies() != nf || kernel.channelRows() != channelRows) {
            throw new IllegalArgumentException("kernel spectrum " + kernel.cout() + "<-" + kernel.cin()
                    + " does not belong to convolution " + cout + "<-" + cin + " on " + h + "x" + w);
        }
        if (in.n() != out.n()) {
            throw new IllegalArgumentException("input has " + in.n() + " examples but output " + out.n());
        }
    }

    private void checkCorrelation(float[][] p) {
        boolean ok = channelRows
                ? p.length == 2 * nf * cout && p[0].length == cin
                : p.length == 2 * cout * cin && p[0].length == nf;
        if (!ok) {
            throw new IllegalArgumentException("correlation accumulator must come from newCorrelation() of this convolution");
        }
    }

    private void check(Spectrum s, int channels, String what) {
        if (s.h() != h || s.w() != w || s.c() != channels) {
            throw new IllegalArgumentException(what + ": convolution " + cout + "<-" + cin + " on " + h + "x" + w
                    + " expects " + channels + " channels of " + h + "x" + w + " but got " + s.c() + " of " + s.h() + "x" + s.w());
        }
    }
}
