package org.heatwave.conv;

/**
 * The per-frequency part of a stencil gradient, {@code P_f[o][c] = Σ_i conj(ĝ_f[i][o]) x̂_f[i][c]},
 * accumulated in float64, a micro-batch's float32 sum at a time ({@link SpectralConv#accumulateCorrelation}), and
 * turned into stencil entries once ({@link SpectralConv#addStencilGradient}). Layout
 * {@code re[(f·cout + o)·cin + c]}, likewise {@code im}.
 */
public record Correlation(int cout, int cin, int frequencies, double[] re, double[] im) {

    /** A zero accumulator. */
    public Correlation(int cout, int cin, int frequencies) {
        this(cout, cin, frequencies, new double[frequencies * cout * cin], new double[frequencies * cout * cin]);
    }

    /** Sets every entry back to zero, to accumulate another gradient in the same arrays. */
    public void clear() {
        java.util.Arrays.fill(re, 0);
        java.util.Arrays.fill(im, 0);
    }
}
