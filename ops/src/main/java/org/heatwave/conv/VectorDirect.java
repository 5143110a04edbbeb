package org.heatwave.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectKernels} with the Vector API: the pixel's taps are first gathered into one
 * {@code n × (taps·p)} row block (so the product is a single loop over {@code taps·p}: JDK 17's C2
 * keeps vectors in registers across one loop but boxes them across nested ones), then a vector of output
 * channels of four examples stays in four registers — one weight load and four broadcasts per four fused
 * multiply-adds. Loaded only when the JVM resolves {@code jdk.incubator.vector}.
 */
final class VectorDirect extends DirectKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Half-width vectors for the last 8 output channels (width 8 layers, widths like 24 or 40). */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256;
    @Override
    void pixel(float[] x, int[] src, int taps, int n, int p, float[] w, int q, float[] z, int z0, float[] col) {
        int kk = taps * p;
        gather(x, src, taps, n, p, col);
        int qv = F.loopBound(q);
        for (int b = 0; b < qv; b += F.length()) {
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                block4(col, i * kk, kk, w, q, b, z, z0 + i * q + b);
            }
            for (; i < n; i++) {
                block1(col, i * kk, kk, w, q, b, z, z0 + i * q + b);
            }
        }
        if (q - qv >= H.length() && H.length() < F.length()) {
            for (int i = 0; i < n; i++) {
                blockHalf(col, i * kk, kk, w, q, qv, z, z0 + i * q + qv);
            }
            qv += H.length();
        }
        if (qv < q) {
            pixelFrom(x, src, taps, n, p, w, q, z, z0, qv);
        }
    }

    /** One example, the half-width vector of output channels at {@code b}: the operations of {@link #block1}. */
    private static void blockHalf(float[] col, int c0, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(H);
        for (int j = 0; j < kk; j++) {
            s0 = FloatVector.broadcast(H, col[c0 + j]).fma(FloatVector.fromArray(H, w, j * q + b), s0);
        }
        s0.intoArray(z, zo);
    }

    private static void block4(float[] col, int c0, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int c1 = c0 + kk;
        int c2 = c0 + 2 * kk;
        int c3 = c0 + 3 * kk;
        for (int j = 0; j < kk; j++) {
            FloatVector wv = FloatVector.fromArray(F, w, j * q + b);
            s0 = FloatVector.broadcast(F, col[c0 + j]).fma(wv, s0);
            s1 = FloatVector.broadcast(F, col[c1 + j]).fma(wv, s1);
            s2 = FloatVector.broadcast(F, col[c2 + j]).fma(wv, s2);
            s3 = FloatVector.broadcast(F, col[c3 + j]).fma(wv, s3);
        }
        s0.intoArray(z, zo);
        s1.intoArray(z, zo + q);
        s2.intoArray(z, zo + 2 * q);
        s3.intoArray(z, zo + 3 * q);
    }

    private static void block1(float[] col, int c0, int kk, float[] w, int q, int b, float[] z, int zo) {
        FloatVector s0 = FloatVector.zero(F);
        for (int j = 0; j < kk; j++) {
            s0 = FloatVector.broadcast(F, col[c0 + j]).fma(FloatVector.fromArray(F, w, j * q + b), s0);
        }
        s0.intoArray(z, zo);
    }

    @Override
    void gradient(float[] col, int rows, int kk, float[] g, int g0, int gs, int q, float[] acc) {
        int qv = F.loopBound(q);
        for (int b = 0; b < qv; b += F.length()) {
            int j = 0;
            for (; j + 4 <= kk; j += 4) {
                gradient4(col, rows, kk, j, g, g0 + b, gs, q, acc, j * q + b);
            }
            for (; j < kk; j++) {
                gradient1(col, rows, kk, j, g, g0 + b, gs, acc, j * q + b);
            }
        }
        if (qv < q) {
            gradientFrom(col, rows, kk, g, g0, gs, q, acc, qv);
        }
    }

    /** Rows j … j+3 of the gradient block, one vector of output channels, summed over all pixels. */
    private static void gradient4(float[] col, int rows, int kk, int j, float[] g, int g0, int gs, int q,
                                  float[] acc, int a0) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int r = 0; r < rows; r++) {
            FloatVector gv = FloatVector.fromArray(F, g, g0 + r * gs);
            int c = r * kk + j;
            s0 = FloatVector.broadcast(F, col[c]).fma(gv, s0);
            s1 = FloatVector.broadcast(F, col[c + 1]).fma(gv, s1);
            s2 = FloatVector.broadcast(F, col[c + 2]).fma(gv, s2);
            s3 = FloatVector.broadcast(F, col[c + 3]).fma(gv, s3);
        }
        s0.intoArray(acc, a0);
        s1.intoArray(acc, a0 + q);
        s2.intoArray(acc, a0 + 2 * q);
        s3.intoArray(acc, a0 + 3 * q);
    }

    private static void gradient1(float[] col, int rows, int kk, int j, float[] g, int g0, int gs, float[] acc, int a0) {
        FloatVector s0 = FloatVector.zero(F);
        for (int r = 0; r < rows; r++) {
            s0 = FloatVector.broadcast(F, col[r * kk + j]).fma(FloatVector.fromArray(F, g, g0 + r * gs), s0);
        }
        s0.intoArray(acc, a0);
    }
}
