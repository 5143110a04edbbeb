package org.heatwave.conv;

import org.heatwave.simd.Simd;

/**
 * The per-frequency complex matrix products of a spectral convolution. The DFT block-diagonalises a
 * multichannel periodic convolution (seed 001: each channel pair is a BCCB matrix), so in Fourier space
 * {@code K} is one small complex {@code c_out × c_in} matrix per frequency and the batch is a
 * {@code [n × c]} block per frequency ({@link org.heatwave.fft.Spectrum}'s {@code [f][n][c]} layout).
 * Two products cover forward, transpose and parameter gradient:
 *
 * <pre>
 *   mix:        Z_f (+)= α · (X_f M_f)                  X_f: n × p,  M_f: p × q,  Z_f: n × q
 *   correlate:  P_f  +=  α · conj(G_f)ᵀ X_f              G_f: n × q,  X_f: n × p,  P_f: q × p (float64)
 * </pre>
 *
 * <p>Arithmetic contract (what makes results independent of how a batch is split over tasks): every
 * output element of {@code mix} is a sum over input channels in ascending order with fused multiply-adds,
 * times α at the end — the same operations for every example wherever it sits in the batch; {@code correlate}
 * sums each element's products over the micro-batch's examples in ascending order with float32 fused multiply-adds,
 * then adds α times that sum to its float64 accumulator, so a sum over a batch differs from the sum of its parts'
 * sums by float32 rounding (≈ 1e-7 relative per example) — a function of the micro-batch, which the shards fix.
 * The vectorised implementation (Java's Vector API, used when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector}) and the scalar one perform the same operations lane by lane and give
 * bit-identical results.
 */
public final class SpectralMixing {
    private static final Kernels KERNELS = Simd.load(Kernels.class, "org.heatwave.conv.VectorMixing", ScalarMixing::new);

    private SpectralMixing() {
    }

    /** The two products, implemented once with explicit SIMD and once as plain loops. */
    interface Kernels {
        /**
         * {@code z[(f·n + i)·q + b] (+)= α Σ_a x[(f·n + i)·p + a] · m[(f·p + a)·q + b]} for all f < nf.
         */
        void mix(float[] xr, float[] xi, int n, int p, float[] mr, float[] mi, int q,
                 float[] zr, float[] zi, int nf, float alpha, boolean accumulate);

        /**
         * {@code pr/pi[(f·q + o)·p + c] += α Σ_i conj(g[(f·n + i)·q + o]) · x[(f·n + i)·p + c]} for all f < nf.
         */
        void correlate(float[] gr, float[] gi, int q, float[] xr, float[] xi, int p, int n, int nf,
                       float alpha, double[] pr, double[] pi);
    }

    /** Whether the Vector API implementation is in use (the JVM resolved {@code jdk.incubator.vector}). */
    public static boolean vectorised() {
        return !(KERNELS instanceof ScalarMixing);
    }

    /** @see Kernels#mix */
    public static void mix(float[] xr, float[] xi, int n, int p, float[] mr, float[] mi, int q,
                           float[] zr, float[] zi, int nf, float alpha, boolean accumulate) {
        KERNELS.mix(xr, xi, n, p, mr, mi, q, zr, zi, nf, alpha, accumulate);
    }

    /** @see Kernels#correlate */
    public static void correlate(float[] gr, float[] gi, int q, float[] xr, float[] xi, int p, int n, int nf,
                                 float alpha, double[] pr, double[] pi) {
        KERNELS.correlate(gr, gi, q, xr, xi, p, n, nf, alpha, pr, pi);
    }
}
