package org.heatwave.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectKernels} with the Vector API: the product is a single loop over the {@code taps·p} input values
 * of a pixel (JDK 17's C2 keeps vectors in registers across one loop but boxes them across nested ones),
 * read through a table of offsets ({@link #pixelAt}) — in place in the input, or, for wide outputs and at
 * zero-boundary edges, in a gathered {@code n × (taps·p)} row block ({@link #pixel}); four (or two) vectors of
 * output channels of four examples stay in sixteen (or eight) registers — four broadcasts and four (or two)
 * weight loads per sixteen (or eight) fused multiply-adds, enough independent chains to hide the FMA
 * latency. The θ-gradient is the same product with a pixel's consecutive channels as the rows
 * ({@link DirectConvolution#accumulateGradient}). Output channels beyond the last whole vector run the plain
 * loops: a second, narrower species for them was tried and slowed <em>every</em> Vector API kernel in the JVM
 * 5–40× ({@link org.heatwave.simd.Simd}). Loaded only when the JVM resolves {@code jdk.incubator.vector}.
 */
final class VectorDirect extends DirectKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    void multiplyAdd(float[] a, int aOff, float[] x, int xOff, float[] acc, int len) {
        int l = F.length();
        int bound = F.loopBound(len);
        int j = 0;
        for (; j < bound; j += l) {
            FloatVector.fromArray(F, a, aOff + j).fma(FloatVector.fromArray(F, x, xOff + j), FloatVector.fromArray(F, acc, j))
                    .intoArray(acc, j);
        }
        multiplyAddFrom(a, aOff, x, xOff, acc, j, len);
    }

    @Override
    void pixelAt(float[] x, int[] off, int kk, int n, int p, float[] w, int q, float[] z, int z0) {
        int l = F.length();
        int qv = F.loopBound(q);
        int b = 0;
        for (; b + 4 * l <= qv; b += 4 * l) {
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                at4x4(x, off, i * p, p, kk, w, q, b, z, z0 + i * q + b);
            }
            for (; i < n; i++) {
                for (int v = 0; v < 4; v++) {
                    at1(x, off, i * p, kk, w, q, b + v * l, z, z0 + i * q + b + v * l);
                }
            }
        }
        for (; b + 2 * l <= qv; b += 2 * l) {
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                at4x2(x, off, i * p, p, kk, w, q, b, z, z0 + i * q + b);
            }
            for (; i < n; i++) {
                at1(x, off, i * p, kk, w, q, b, z, z0 + i * q + b);
                at1(x, off, i * p, kk, w, q, b + l, z, z0 + i * q + b + l);
            }
        }
        for (; b < qv; b += l) {
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                at4(x, off, i * p, p, kk, w, q, b, z, z0 + i * q + b);
            }
            for (; i < n; i++) {
                at1(x, off, i * p, kk, w, q, b, z, z0 + i * q + b);
            }
        }
        if (qv < q) {
            pixelAtFrom(x, off, kk, n, p, w, q, z, z0, qv);
        }
    }

    /**
     * Four examples × four vectors of output channels (64 and more outputs): sixteen accumulators, four
     * weight loads and four broadcasts per sixteen fused multiply-adds — half the loads per multiply-add of
     * {@link #at4x2} (measured 1.1–1.35× faster at 64 and 128 channels).
     */
    private static void at4x4(float[] x, int[] off, int e0, int p, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        FloatVector u0 = s0;
        FloatVector u1 = s0;
        FloatVector u2 = s0;
        FloatVector u3 = s0;
        FloatVector v0 = s0;
        FloatVector v1 = s0;
        FloatVector v2 = s0;
        FloatVector v3 = s0;
        int l = F.length();
        int e1 = e0 + p;
        int e2 = e0 + 2 * p;
        int e3 = e0 + 3 * p;
        for (int j = 0; j < kk; j++) {
            int o = off[j];
            int wj = j * q + b;
            FloatVector wa = FloatVector.fromArray(F, w, wj);
            FloatVector wb = FloatVector.fromArray(F, w, wj + l);
            FloatVector wc = FloatVector.fromArray(F, w, wj + 2 * l);
            FloatVector wd = FloatVector.fromArray(F, w, wj + 3 * l);
            FloatVector x0 = FloatVector.broadcast(F, x[o + e0]);
            s0 = x0.fma(wa, s0);
            t0 = x0.fma(wb, t0);
            u0 = x0.fma(wc, u0);
            v0 = x0.fma(wd, v0);
            FloatVector x1 = FloatVector.broadcast(F, x[o + e1]);
            s1 = x1.fma(wa, s1);
            t1 = x1.fma(wb, t1);
            u1 = x1.fma(wc, u1);
            v1 = x1.fma(wd, v1);
            FloatVector x2 = FloatVector.broadcast(F, x[o + e2]);
            s2 = x2.fma(wa, s2);
            t2 = x2.fma(wb, t2);
            u2 = x2.fma(wc, u2);
            v2 = x2.fma(wd, v2);
            FloatVector x3 = FloatVector.broadcast(F, x[o + e3]);
            s3 = x3.fma(wa, s3);
            t3 = x3.fma(wb, t3);
            u3 = x3.fma(wc, u3);
            v3 = x3.fma(wd, v3);
        }
        s0.intoArray(z, zo);
        t0.intoArray(z, zo + l);
        u0.intoArray(z, zo + 2 * l);
        v0.intoArray(z, zo + 3 * l);
        s1.intoArray(z, zo + q);
        t1.intoArray(z, zo + q + l);
        u1.intoArray(z, zo + q + 2 * l);
        v1.intoArray(z, zo + q + 3 * l);
        s2.intoArray(z, zo + 2 * q);
        t2.intoArray(z, zo + 2 * q + l);
        u2.intoArray(z, zo + 2 * q + 2 * l);
        v2.intoArray(z, zo + 2 * q + 3 * l);
        s3.intoArray(z, zo + 3 * q);
        t3.intoArray(z, zo + 3 * q + l);
        u3.intoArray(z, zo + 3 * q + 2 * l);
        v3.intoArray(z, zo + 3 * q + 3 * l);
    }

    /**
     * Four examples × two vectors of output channels: eight accumulators, two weight loads and four
     * broadcasts per eight fused multiply-adds; example k's value j is {@code x[off[j] + e0 + k·p]}.
     */
    private static void at4x2(float[] x, int[] off, int e0, int p, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        int l = F.length();
        int e1 = e0 + p;
        int e2 = e0 + 2 * p;
        int e3 = e0 + 3 * p;
        for (int j = 0; j < kk; j++) {
            int o = off[j];
            FloatVector wv = FloatVector.fromArray(F, w, j * q + b);
            FloatVector wu = FloatVector.fromArray(F, w, j * q + b + l);
            FloatVector x0 = FloatVector.broadcast(F, x[o + e0]);
            FloatVector x1 = FloatVector.broadcast(F, x[o + e1]);
            FloatVector x2 = FloatVector.broadcast(F, x[o + e2]);
            FloatVector x3 = FloatVector.broadcast(F, x[o + e3]);
            s0 = x0.fma(wv, s0);
            t0 = x0.fma(wu, t0);
            s1 = x1.fma(wv, s1);
            t1 = x1.fma(wu, t1);
            s2 = x2.fma(wv, s2);
            t2 = x2.fma(wu, t2);
            s3 = x3.fma(wv, s3);
            t3 = x3.fma(wu, t3);
        }
        s0.intoArray(z, zo);
        t0.intoArray(z, zo + l);
        s1.intoArray(z, zo + q);
        t1.intoArray(z, zo + q + l);
        s2.intoArray(z, zo + 2 * q);
        t2.intoArray(z, zo + 2 * q + l);
        s3.intoArray(z, zo + 3 * q);
        t3.intoArray(z, zo + 3 * q + l);
    }

    /** Four examples × one vector of output channels, read in place: the operations of {@link #at1}. */
    private static void at4(float[] x, int[] off, int e0, int p, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int e1 = e0 + p;
        int e2 = e0 + 2 * p;
        int e3 = e0 + 3 * p;
        for (int j = 0; j < kk; j++) {
            int o = off[j];
            FloatVector wv = FloatVector.fromArray(F, w, j * q + b);
            s0 = FloatVector.broadcast(F, x[o + e0]).fma(wv, s0);
            s1 = FloatVector.broadcast(F, x[o + e1]).fma(wv, s1);
            s2 = FloatVector.broadcast(F, x[o + e2]).fma(wv, s2);
            s3 = FloatVector.broadcast(F, x[o + e3]).fma(wv, s3);
        }
        s0.intoArray(z, zo);
        s1.intoArray(z, zo + q);
        s2.intoArray(z, zo + 2 * q);
        s3.intoArray(z, zo + 3 * q);
    }

    private static void at1(float[] x, int[] off, int e0, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        for (int j = 0; j < kk; j++) {
            s0 = FloatVector.broadcast(F, x[off[j] + e0]).fma(FloatVector.fromArray(F, w, j * q + b), s0);
        }
        s0.intoArray(z, zo);
    }
}
