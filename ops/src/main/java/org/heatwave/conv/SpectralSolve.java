package org.heatwave.conv;

import org.heatwave.fft.Spectrum;

/**
 * Solves with a periodic convolution, which the DFT block-diagonalises (seed 001: "FFTs enable also to
 * compute {@code K(θ)⁻¹Y} efficiently"; seed 003's IMEX step): per frequency a small dense complex
 * system, factored once per parameter update and applied to every example.
 *
 * <ul>
 *   <li>{@link #inverse}: {@code X = K⁻¹ Y} — LU with partial pivoting of each {@code K̂_f}
 *       ({@code c × c}, channels coupled); {@link #solveTranspose} gives {@code K⁻ᵀ} from the same factors
 *       ({@code K̂_fᴴ}).</li>
 *   <li>{@link #shiftedNormal}: {@code X = (I + h KᵀK)⁻¹ Y} — Cholesky of the Hermitian positive definite
 *       {@code I + h K̂_fᴴ K̂_f} ({@code c_in × c_in}); the operator is symmetric, so its transpose is itself.</li>
 * </ul>
 * Factors and substitutions run in float64; spectra stay float32. Parameter derivatives follow from
 * {@code d(M⁻¹) = −M⁻¹ dM M⁻¹} and are assembled by the callers with {@link SpectralConv}'s correlation:
 * for {@code ⟨G, K⁻¹Y⟩} the θ-gradient is that of {@code ⟨−K⁻ᵀG, K(θ) X⟩}; for {@code ⟨G, (I + hKᵀK)⁻¹Y⟩}
 * with {@code Ḡ = (I + hKᵀK)⁻¹G} it is that of {@code −h(⟨K Ḡ, K(θ) X⟩ + ⟨K X, K(θ) Ḡ⟩)}.
 */
public final class SpectralSolve {
    private final int c;
    private final int nf;
    private final boolean cholesky;
    /** Per frequency the factor, row-major {@code c × c}: LU (unit lower + upper) or the Cholesky factor L. */
    private final double[][] re;
    private final double[][] im;
    private final int[][] pivots;

    private SpectralSolve(int c, int nf, boolean cholesky) {
        this.c = c;
        this.nf = nf;
        this.cholesky = cholesky;
        this.re = new double[nf][c * c];
        this.im = new double[nf][c * c];
        this.pivots = cholesky ? null : new int[nf][c];
    }

    /** The factors of {@code K} (square: {@code c_out = c_in}); a singular frequency is an error naming it. */
    public static SpectralSolve inverse(KernelSpectrum k) {
        if (k.cout() != k.cin()) {
            throw new IllegalArgumentException("K⁻¹ needs a square kernel, got " + k.cout() + "<-" + k.cin());
        }
        int c = k.cin();
        SpectralSolve s = new SpectralSolve(c, k.frequencies(), false);
        // pivots are judged against the largest symbol entry over all frequencies (K̂ is float32)
        double scale = 0;
        for (int j = 0; j < k.re().length; j++) {
            scale = Math.max(scale, Math.hypot(k.re()[j], k.im()[j]));
        }
        for (int f = 0; f < s.nf; f++) {
            double[] ar = s.re[f];
            double[] ai = s.im[f];
            int base = f * c * c;
            for (int o = 0; o < c; o++) {
                for (int a = 0; a < c; a++) {
                    // K̂_f[o][a] is stored at [(f·cin + a)·cout + o]
                    ar[o * c + a] = k.re()[base + a * c + o];
                    ai[o * c + a] = k.im()[base + a * c + o];
                }
            }
            s.factorLu(f, scale);
        }
        return s;
    }

    /** The factors of {@code I + h KᵀK} for {@code h > 0}. */
    public static SpectralSolve shiftedNormal(KernelSpectrum k, double h) {
        if (!(h > 0)) {
            throw new IllegalArgumentException("(I + h KᵀK)⁻¹ needs h > 0, got " + h);
        }
        int c = k.cin();
        int q = k.cout();
        SpectralSolve s = new SpectralSolve(c, k.frequencies(), true);
        for (int f = 0; f < s.nf; f++) {
            double[] ar = s.re[f];
            double[] ai = s.im[f];
            int base = f * c * q;
            // (K̂ᴴK̂)[a][b] = Σ_o conj(K̂[o][a]) K̂[o][b]
            for (int a = 0; a < c; a++) {
                for (int b = 0; b < c; b++) {
                    double sr = 0;
                    double si = 0;
                    for (int o = 0; o < q; o++) {
                        double xr = k.re()[base + a * q + o];
                        double xi = k.im()[base + a * q + o];
                        double yr = k.re()[base + b * q + o];
                        double yi = k.im()[base + b * q + o];
                        sr += xr * yr + xi * yi;
                        si += xr * yi - xi * yr;
                    }
                    ar[a * c + b] = (a == b ? 1 : 0) + h * sr;
                    ai[a * c + b] = h * si;
                }
            }
            s.factorCholesky(f);
        }
        return s;
    }

    /** {@code x = M⁻¹ y} (every example); {@code x} may be {@code y}. */
    public void solve(Spectrum y, Spectrum x) {
        apply(y, x, false);
    }

    /** {@code x = M⁻ᵀ y}: for {@link #inverse} the solve with {@code Kᵀ}; {@link #shiftedNormal} is symmetric. */
    public void solveTranspose(Spectrum y, Spectrum x) {
        apply(y, x, !cholesky);
    }

    private void apply(Spectrum y, Spectrum x, boolean adjoint) {
        if (y.c() != c || x.c() != c || y.n() != x.n() || y.frequencies() != nf || x.frequencies() != nf) {
            throw new IllegalArgumentException("spectra of " + y.c() + " and " + x.c() + " channels at "
                    + y.frequencies() + " frequencies do not fit a solve with " + c + " channels at " + nf);
        }
        int n = y.n();
        double[] br = new double[c];
        double[] bi = new double[c];
        for (int f = 0; f < nf; f++) {
            for (int i = 0; i < n; i++) {
                int at = (f * n + i) * c;
                for (int a = 0; a < c; a++) {
                    br[a] = y.re()[at + a];
                    bi[a] = y.im()[at + a];
                }
                if (cholesky) {
                    substituteCholesky(f, br, bi);
                } else if (adjoint) {
                    substituteLuAdjoint(f, br, bi);
                } else {
                    substituteLu(f, br, bi);
                }
                for (int a = 0; a < c; a++) {
                    x.re()[at + a] = (float) br[a];
                    x.im()[at + a] = (float) bi[a];
                }
            }
        }
    }

    private void factorLu(int f, double scale) {
        double[] ar = re[f];
        double[] ai = im[f];
        int[] piv = pivots[f];
        for (int col = 0; col < c; col++) {
            int p = col;
            for (int r = col + 1; r < c; r++) {
                if (Math.hypot(ar[r * c + col], ai[r * c + col]) > Math.hypot(ar[p * c + col], ai[p * c + col])) {
                    p = r;
                }
            }
            if (Math.hypot(ar[p * c + col], ai[p * c + col]) <= 1e-6 * scale) {
                throw new ArithmeticException("K is singular at frequency " + f + " (K⁻¹ does not exist)");
            }
            piv[col] = p;
            if (p != col) {
                for (int j = 0; j < c; j++) {
                    swap(ar, p * c + j, col * c + j);
                    swap(ai, p * c + j, col * c + j);
                }
            }
            double dr = ar[col * c + col];
            double di = ai[col * c + col];
            double d2 = dr * dr + di * di;
            for (int r = col + 1; r < c; r++) {
                // l = a[r][col] / a[col][col]
                double xr = ar[r * c + col];
                double xi = ai[r * c + col];
                double lr = (xr * dr + xi * di) / d2;
                double li = (xi * dr - xr * di) / d2;
                ar[r * c + col] = lr;
                ai[r * c + col] = li;
                for (int j = col + 1; j < c; j++) {
                    double ur = ar[col * c + j];
                    double ui = ai[col * c + j];
                    ar[r * c + j] -= lr * ur - li * ui;
                    ai[r * c + j] -= lr * ui + li * ur;
                }
            }
        }
    }

    /** {@code b ← U⁻¹ L⁻¹ Π b}. */
    private void substituteLu(int f, double[] br, double[] bi) {
        int[] piv = pivots[f];
        for (int col = 0; col < c; col++) {
            swap(br, col, piv[col]);
            swap(bi, col, piv[col]);
        }
        triangular(f, true, false, true, br, bi);
        triangular(f, false, false, false, br, bi);
    }

    /** {@code b ← (ΠᵀLU)⁻ᴴ b = Πᵀ L⁻ᴴ U⁻ᴴ b}. */
    private void substituteLuAdjoint(int f, double[] br, double[] bi) {
        int[] piv = pivots[f];
        triangular(f, false, true, false, br, bi);
        triangular(f, true, true, true, br, bi);
        for (int col = c - 1; col >= 0; col--) {
            swap(br, col, piv[col]);
            swap(bi, col, piv[col]);
        }
    }

    /**
     * {@code b ← T⁻¹ b} for the triangle of frequency f's stored factor: its lower part ({@code lower}) or
     * upper part, used as is or conjugate-transposed ({@code adjoint}, which turns a lower triangle into an
     * upper one and back), with a unit diagonal or the stored one.
     */
    private void triangular(int f, boolean lower, boolean adjoint, boolean unit, double[] br, double[] bi) {
        double[] ar = re[f];
        double[] ai = im[f];
        boolean forward = lower != adjoint;
        for (int step = 0; step < c; step++) {
            int r = forward ? step : c - 1 - step;
            double sr = br[r];
            double si = bi[r];
            int from = forward ? 0 : r + 1;
            int to = forward ? r : c;
            for (int j = from; j < to; j++) {
                int at = adjoint ? j * c + r : r * c + j;
                double xr = ar[at];
                double xi = adjoint ? -ai[at] : ai[at];
                sr -= xr * br[j] - xi * bi[j];
                si -= xr * bi[j] + xi * br[j];
            }
            if (unit) {
                br[r] = sr;
                bi[r] = si;
            } else {
                int d = r * c + r;
                divide(sr, si, ar[d], adjoint ? -ai[d] : ai[d], br, bi, r);
            }
        }
    }

    private void factorCholesky(int f) {
        double[] ar = re[f];
        double[] ai = im[f];
        for (int j = 0; j < c; j++) {
            double d = ar[j * c + j];
            for (int m = 0; m < j; m++) {
                d -= ar[j * c + m] * ar[j * c + m] + ai[j * c + m] * ai[j * c + m];
            }
            if (!(d > 0)) {
                throw new ArithmeticException("I + h KᵀK is not positive definite at frequency " + f);
            }
            double l = Math.sqrt(d);
            ar[j * c + j] = l;
            ai[j * c + j] = 0;
            for (int r = j + 1; r < c; r++) {
                // L[r][j] = (A[r][j] − Σ_m L[r][m] conj(L[j][m])) / L[j][j]
                double sr = ar[r * c + j];
                double si = ai[r * c + j];
                for (int m = 0; m < j; m++) {
                    double xr = ar[r * c + m];
                    double xi = ai[r * c + m];
                    double yr = ar[j * c + m];
                    double yi = -ai[j * c + m];
                    sr -= xr * yr - xi * yi;
                    si -= xr * yi + xi * yr;
                }
                ar[r * c + j] = sr / l;
                ai[r * c + j] = si / l;
            }
        }
    }

    /** {@code b ← L⁻ᴴ L⁻¹ b}. */
    private void substituteCholesky(int f, double[] br, double[] bi) {
        triangular(f, true, false, false, br, bi);
        triangular(f, true, true, false, br, bi);
    }

    /** {@code b[r] = (sr + i·si) / (dr + i·di)}. */
    private static void divide(double sr, double si, double dr, double di, double[] br, double[] bi, int r) {
        double d2 = dr * dr + di * di;
        br[r] = (sr * dr + si * di) / d2;
        bi[r] = (si * dr - sr * di) / d2;
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
