package org.heatwave.conv;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpectralMixing}'s products with explicit SIMD (Java's Vector API): register-blocked complex
 * matrix products per frequency. Loaded only when the JVM resolves {@code jdk.incubator.vector}.
 *
 * <ul>
 *   <li>{@code mix}: for each frequency, a vector of {@code L} output channels of two examples is held in
 *       four registers while the input channels stream past; each kernel vector loaded serves both
 *       examples (8 fused multiply-adds per two loads, one negation and four broadcasts straight from
 *       memory; α is applied once at the end). Four examples per block were slower: the larger body
 *       exceeded C2's inlining node budget and vectors got boxed.</li>
 *   <li>{@code correlate}: for each frequency, four output-channel rows of a vector of input channels are
 *       accumulated in float64 registers over the task's examples; each input vector loaded serves the four
 *       rows. The frequency's blocks are first widened to float64 (the cotangent times alpha).</li>
 * </ul>
 * Columns beyond the last full vector go to {@link ScalarMixing}, which performs the same operations.
 */
final class VectorMixing implements SpectralMixing.Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Examples per register block of {@code mix}. */
    private static final int EXAMPLES = 2;

    private final ThreadLocal<double[][]> widened = ThreadLocal.withInitial(() -> new double[5][0]);

    @Override
    public void mix(float[] xr, float[] xi, int n, int p, float[] mr, float[] mi, int q,
                    float[] zr, float[] zi, int nf, float alpha, boolean accumulate) {
        int lanes = F.length();
        int qv = F.loopBound(q);
        for (int f = 0; f < nf; f++) {
            int x0 = f * n * p;
            int m0 = f * p * q;
            int z0 = f * n * q;
            for (int b = 0; b < qv; b += lanes) {
                int i = 0;
                for (; i + EXAMPLES <= n; i += EXAMPLES) {
                    mix2(xr, xi, x0 + i * p, p, mr, mi, m0 + b, q, zr, zi, z0 + i * q + b, alpha, accumulate);
                }
                for (; i < n; i++) {
                    mix1(xr, xi, x0 + i * p, p, mr, mi, m0 + b, q, zr, zi, z0 + i * q + b, alpha, accumulate);
                }
            }
            if (qv < q) {
                ScalarMixing.mixColumns(xr, xi, n, p, mr, mi, q, zr, zi, f, qv, alpha, accumulate);
            }
        }
    }

    /**
     * Two consecutive examples (rows x, x+p), one vector of output channels held in four registers. (Kept
     * small: a larger body exceeds C2's inlining node budget, and vectors crossing a call that was not
     * inlined are boxed on the heap.)
     */
    private static void mix2(float[] xr, float[] xi, int x, int p, float[] mr, float[] mi, int m, int q,
                             float[] zr, float[] zi, int z, float alpha, boolean accumulate) {
        FloatVector r0 = FloatVector.zero(F);
        FloatVector i0 = r0;
        FloatVector r1 = r0;
        FloatVector i1 = r0;
        int x1 = x + p;
        for (int a = 0; a < p; a++) {
            FloatVector ar = FloatVector.fromArray(F, mr, m + a * q);
            FloatVector ai = FloatVector.fromArray(F, mi, m + a * q);
            FloatVector an = ai.neg();
            FloatVector vr0 = FloatVector.broadcast(F, xr[x + a]);
            FloatVector vi0 = FloatVector.broadcast(F, xi[x + a]);
            r0 = vi0.fma(an, vr0.fma(ar, r0));
            i0 = vi0.fma(ar, vr0.fma(ai, i0));
            FloatVector vr1 = FloatVector.broadcast(F, xr[x1 + a]);
            FloatVector vi1 = FloatVector.broadcast(F, xi[x1 + a]);
            r1 = vi1.fma(an, vr1.fma(ar, r1));
            i1 = vi1.fma(ar, vr1.fma(ai, i1));
        }
        store(r0, i0, zr, zi, z, alpha, accumulate);
        store(r1, i1, zr, zi, z + q, alpha, accumulate);
    }

    /** One example, one vector of output channels: the same operations as one row of {@link #mix2}. */
    private static void mix1(float[] xr, float[] xi, int x, int p, float[] mr, float[] mi, int m, int q,
                             float[] zr, float[] zi, int z, float alpha, boolean accumulate) {
        FloatVector r0 = FloatVector.zero(F);
        FloatVector i0 = r0;
        for (int a = 0; a < p; a++) {
            FloatVector ar = FloatVector.fromArray(F, mr, m + a * q);
            FloatVector ai = FloatVector.fromArray(F, mi, m + a * q);
            FloatVector vr0 = FloatVector.broadcast(F, xr[x + a]);
            FloatVector vi0 = FloatVector.broadcast(F, xi[x + a]);
            r0 = vi0.fma(ai.neg(), vr0.fma(ar, r0));
            i0 = vi0.fma(ar, vr0.fma(ai, i0));
        }
        store(r0, i0, zr, zi, z, alpha, accumulate);
    }

    /** {@code z (+)= alpha·(r + i·im)}. */
    private static void store(FloatVector r, FloatVector i, float[] zr, float[] zi, int z, float alpha,
                              boolean accumulate) {
        FloatVector re = r.mul(alpha);
        FloatVector im = i.mul(alpha);
        if (accumulate) {
            re = FloatVector.fromArray(F, zr, z).add(re);
            im = FloatVector.fromArray(F, zi, z).add(im);
        }
        re.intoArray(zr, z);
        im.intoArray(zi, z);
    }

    @Override
    public void correlate(float[] gr, float[] gi, int q, float[] xr, float[] xi, int p, int n, int nf,
                          float alpha, double[] pr, double[] pi) {
        int lanes = D.length();
        int pv = D.loopBound(p);
        if (pv == 0) {
            ScalarMixing.correlateColumns(gr, gi, q, xr, xi, p, n, 0, nf, 0, alpha, pr, pi);
            return;
        }
        double[][] wide = widened(n * p, n * q);
        double[] wr = wide[0];
        double[] wi = wide[1];
        double[] ur = wide[2];
        double[] ui = wide[3];
        double[] un = wide[4];
        for (int f = 0; f < nf; f++) {
            int g0 = f * n * q;
            int x0 = f * n * p;
            int p0 = f * q * p;
            for (int j = 0; j < n * p; j++) {
                wr[j] = xr[x0 + j];
                wi[j] = xi[x0 + j];
            }
            for (int j = 0; j < n * q; j++) {
                float a = alpha * gr[g0 + j];
                float b = alpha * gi[g0 + j];
                ur[j] = a;
                ui[j] = b;
                un[j] = -b;
            }
            for (int c = 0; c < pv; c += lanes) {
                int o = 0;
                for (; o + 4 <= q; o += 4) {
                    correlate4(ur, ui, un, o, q, wr, wi, c, p, n, pr, pi, p0 + o * p + c);
                }
                for (; o < q; o++) {
                    correlate1(ur, ui, un, o, q, wr, wi, c, p, n, pr, pi, p0 + o * p + c);
                }
            }
            if (pv < p) {
                ScalarMixing.correlateColumns(gr, gi, q, xr, xi, p, n, f, f + 1, pv, alpha, pr, pi);
            }
        }
    }

    /**
     * Output channels o … o+3, one vector of input channels starting at c; {@code u*} are example rows of
     * the cotangent times alpha (real, imaginary, negated imaginary), {@code w*} of the input, in float64.
     */
    private static void correlate4(double[] ur, double[] ui, double[] un, int o, int q, double[] wr, double[] wi,
                                   int c, int p, int n, double[] pr, double[] pi, int out) {
        DoubleVector r0 = DoubleVector.fromArray(D, pr, out);
        DoubleVector i0 = DoubleVector.fromArray(D, pi, out);
        DoubleVector r1 = DoubleVector.fromArray(D, pr, out + p);
        DoubleVector i1 = DoubleVector.fromArray(D, pi, out + p);
        DoubleVector r2 = DoubleVector.fromArray(D, pr, out + 2 * p);
        DoubleVector i2 = DoubleVector.fromArray(D, pi, out + 2 * p);
        DoubleVector r3 = DoubleVector.fromArray(D, pr, out + 3 * p);
        DoubleVector i3 = DoubleVector.fromArray(D, pi, out + 3 * p);
        for (int i = 0; i < n; i++) {
            DoubleVector vr = DoubleVector.fromArray(D, wr, i * p + c);
            DoubleVector vi = DoubleVector.fromArray(D, wi, i * p + c);
            int g = i * q + o;
            r0 = DoubleVector.broadcast(D, ur[g]).fma(vr, r0);
            r0 = DoubleVector.broadcast(D, ui[g]).fma(vi, r0);
            i0 = DoubleVector.broadcast(D, ur[g]).fma(vi, i0);
            i0 = DoubleVector.broadcast(D, un[g]).fma(vr, i0);
            r1 = DoubleVector.broadcast(D, ur[g + 1]).fma(vr, r1);
            r1 = DoubleVector.broadcast(D, ui[g + 1]).fma(vi, r1);
            i1 = DoubleVector.broadcast(D, ur[g + 1]).fma(vi, i1);
            i1 = DoubleVector.broadcast(D, un[g + 1]).fma(vr, i1);
            r2 = DoubleVector.broadcast(D, ur[g + 2]).fma(vr, r2);
            r2 = DoubleVector.broadcast(D, ui[g + 2]).fma(vi, r2);
            i2 = DoubleVector.broadcast(D, ur[g + 2]).fma(vi, i2);
            i2 = DoubleVector.broadcast(D, un[g + 2]).fma(vr, i2);
            r3 = DoubleVector.broadcast(D, ur[g + 3]).fma(vr, r3);
            r3 = DoubleVector.broadcast(D, ui[g + 3]).fma(vi, r3);
            i3 = DoubleVector.broadcast(D, ur[g + 3]).fma(vi, i3);
            i3 = DoubleVector.broadcast(D, un[g + 3]).fma(vr, i3);
        }
        r0.intoArray(pr, out);
        i0.intoArray(pi, out);
        r1.intoArray(pr, out + p);
        i1.intoArray(pi, out + p);
        r2.intoArray(pr, out + 2 * p);
        i2.intoArray(pi, out + 2 * p);
        r3.intoArray(pr, out + 3 * p);
        i3.intoArray(pi, out + 3 * p);
    }

    /** One output channel: the same operations as one row of {@link #correlate4}. */
    private static void correlate1(double[] ur, double[] ui, double[] un, int o, int q, double[] wr, double[] wi,
                                   int c, int p, int n, double[] pr, double[] pi, int out) {
        DoubleVector r0 = DoubleVector.fromArray(D, pr, out);
        DoubleVector i0 = DoubleVector.fromArray(D, pi, out);
        for (int i = 0; i < n; i++) {
            DoubleVector vr = DoubleVector.fromArray(D, wr, i * p + c);
            DoubleVector vi = DoubleVector.fromArray(D, wi, i * p + c);
            int g = i * q + o;
            r0 = DoubleVector.broadcast(D, ur[g]).fma(vr, r0);
            r0 = DoubleVector.broadcast(D, ui[g]).fma(vi, r0);
            i0 = DoubleVector.broadcast(D, ur[g]).fma(vi, i0);
            i0 = DoubleVector.broadcast(D, un[g]).fma(vr, i0);
        }
        r0.intoArray(pr, out);
        i0.intoArray(pi, out);
    }

    /** Thread-local float64 rows: the input block (re, im) and the cotangent block (re, im, −im). */
    private double[][] widened(int inputs, int cotangents) {
        double[][] w = widened.get();
        if (w[0].length < inputs || w[2].length < cotangents) {
            int a = Math.max(inputs, w[0].length);
            int b = Math.max(cotangents, w[2].length);
            w = new double[][] {new double[a], new double[a], new double[b], new double[b], new double[b]};
            widened.set(w);
        }
        return w;
    }
}
