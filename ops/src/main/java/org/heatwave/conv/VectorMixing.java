package org.heatwave.conv;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 *       accumulated in float32 registers over the micro-batch's examples (each input vector loaded serves the
 *       four rows), then scaled by α, widened and added to the float64 accumulator.</li>
 * </ul>
 * Columns beyond the last full vector go to {@link ScalarMixing}, which performs the same operations.
 */
final class VectorMixing implements SpectralMixing.Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Examples per register block of {@code mix}. */
    private static final int EXAMPLES = 2;

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
        int lanes = F.length();
        int pv = F.loopBound(p);
        for (int f = 0; f < nf; f++) {
            int g0 = f * n * q;
            int x0 = f * n * p;
            int p0 = f * q * p;
            for (int c = 0; c < pv; c += lanes) {
                int o = 0;
                for (; o + 4 <= q; o += 4) {
                    correlate4(gr, gi, g0 + o, q, xr, xi, x0 + c, p, n, alpha, pr, pi, p0 + o * p + c);
                }
                for (; o < q; o++) {
                    correlate1(gr, gi, g0 + o, q, xr, xi, x0 + c, p, n, alpha, pr, pi, p0 + o * p + c);
                }
            }
            if (pv < p) {
                ScalarMixing.correlateColumns(gr, gi, q, xr, xi, p, n, f, f + 1, pv, alpha, pr, pi);
            }
        }
    }

    /**
     * Output channels o … o+3 ({@code g} = the first's cotangent index of example 0) against one vector of input
     * channels ({@code x} = its index in example 0): eight float32 accumulators over the examples, then α, widened
     * and added to the float64 rows {@code out}, {@code out + p}, ….
     */
    private static void correlate4(float[] gr, float[] gi, int g, int q, float[] xr, float[] xi, int x, int p, int n,
                                   float alpha, double[] pr, double[] pi, int out) {
        FloatVector r0 = FloatVector.zero(F);
        FloatVector i0 = r0;
        FloatVector r1 = r0;
        FloatVector i1 = r0;
        FloatVector r2 = r0;
        FloatVector i2 = r0;
        FloatVector r3 = r0;
        FloatVector i3 = r0;
        for (int i = 0; i < n; i++, g += q, x += p) {
            FloatVector vr = FloatVector.fromArray(F, xr, x);
            FloatVector vi = FloatVector.fromArray(F, xi, x);
            FloatVector vn = vr.neg();
            FloatVector a = FloatVector.broadcast(F, gr[g]);
            FloatVector b = FloatVector.broadcast(F, gi[g]);
            r0 = b.fma(vi, a.fma(vr, r0));
            i0 = b.fma(vn, a.fma(vi, i0));
            a = FloatVector.broadcast(F, gr[g + 1]);
            b = FloatVector.broadcast(F, gi[g + 1]);
            r1 = b.fma(vi, a.fma(vr, r1));
            i1 = b.fma(vn, a.fma(vi, i1));
            a = FloatVector.broadcast(F, gr[g + 2]);
            b = FloatVector.broadcast(F, gi[g + 2]);
            r2 = b.fma(vi, a.fma(vr, r2));
            i2 = b.fma(vn, a.fma(vi, i2));
            a = FloatVector.broadcast(F, gr[g + 3]);
            b = FloatVector.broadcast(F, gi[g + 3]);
            r3 = b.fma(vi, a.fma(vr, r3));
            i3 = b.fma(vn, a.fma(vi, i3));
        }
        addWidened(r0, alpha, pr, out);
        addWidened(i0, alpha, pi, out);
        addWidened(r1, alpha, pr, out + p);
        addWidened(i1, alpha, pi, out + p);
        addWidened(r2, alpha, pr, out + 2 * p);
        addWidened(i2, alpha, pi, out + 2 * p);
        addWidened(r3, alpha, pr, out + 3 * p);
        addWidened(i3, alpha, pi, out + 3 * p);
    }

    /** One output channel: the same operations as one row of {@link #correlate4}. */
    private static void correlate1(float[] gr, float[] gi, int g, int q, float[] xr, float[] xi, int x, int p, int n,
                                   float alpha, double[] pr, double[] pi, int out) {
        FloatVector r0 = FloatVector.zero(F);
        FloatVector i0 = r0;
        for (int i = 0; i < n; i++, g += q, x += p) {
            FloatVector vr = FloatVector.fromArray(F, xr, x);
            FloatVector vi = FloatVector.fromArray(F, xi, x);
            FloatVector a = FloatVector.broadcast(F, gr[g]);
            FloatVector b = FloatVector.broadcast(F, gi[g]);
            r0 = b.fma(vi, a.fma(vr, r0));
            i0 = b.fma(vr.neg(), a.fma(vi, i0));
        }
        addWidened(r0, alpha, pr, out);
        addWidened(i0, alpha, pi, out);
    }

    /** {@code to[at …] += (double) (alpha · acc)}, lane by lane. */
    private static void addWidened(FloatVector acc, float alpha, double[] to, int at) {
        FloatVector scaled = acc.mul(alpha);
        for (int part = 0, d = D.length(); part * d < F.length(); part++) {
            DoubleVector wide = (DoubleVector) scaled.convertShape(VectorOperators.F2D, D, part);
            wide.add(DoubleVector.fromArray(D, to, at + part * d)).intoArray(to, at + part * d);
        }
    }
}
