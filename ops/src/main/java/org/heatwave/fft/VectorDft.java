package org.heatwave.fft;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DftKernels} with the Vector API: for one vector of planes the accumulators stay in registers
 * over all terms, so each term costs its row loads and no stores. Loaded only when the JVM resolves
 * {@code jdk.incubator.vector}.
 */
final class VectorDft extends DftKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    void columns(float[] ar, float[] br, float[] ai, float[] bi, float[][] ur, float[][] ui, float[][] vr,
                 float[][] vi, float[] cos, float[] sin, int off, int m, float sign, int len) {
        int bound = F.loopBound(len);
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector a = FloatVector.fromArray(F, ar, j);
            FloatVector b = FloatVector.fromArray(F, br, j);
            FloatVector e = FloatVector.fromArray(F, ai, j);
            FloatVector d = FloatVector.fromArray(F, bi, j);
            for (int y = 1; y <= m; y++) {
                float c = cos[off + y - 1];
                float s = sign * sin[off + y - 1];
                FloatVector p = FloatVector.fromArray(F, ur[y - 1], j).mul(c);
                FloatVector q = FloatVector.fromArray(F, vi[y - 1], j).mul(s);
                a = a.add(p.add(q));
                b = b.add(p.sub(q));
                FloatVector p2 = FloatVector.fromArray(F, ui[y - 1], j).mul(c);
                FloatVector q2 = FloatVector.fromArray(F, vr[y - 1], j).mul(-s);
                e = e.add(p2.add(q2));
                d = d.add(p2.sub(q2));
            }
            a.intoArray(ar, j);
            b.intoArray(br, j);
            e.intoArray(ai, j);
            d.intoArray(bi, j);
        }
        if (bound < len) {
            columnsFrom(ar, br, ai, bi, ur, ui, vr, vi, cos, sin, off, m, sign, bound, len);
        }
    }

    @Override
    void forwardRows(float[] tr, float[] ti, float[][] u, float[][] v, float[] cos, float[] sin, int off,
                     int from, int to, int len) {
        int bound = F.loopBound(len);
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector r = FloatVector.fromArray(F, tr, j);
            FloatVector i = FloatVector.fromArray(F, ti, j);
            for (int x = from; x <= to; x++) {
                r = r.add(FloatVector.fromArray(F, u[x - 1], j).mul(cos[off + x - 1]));
                i = i.add(FloatVector.fromArray(F, v[x - 1], j).mul(sin[off + x - 1]));
            }
            r.intoArray(tr, j);
            i.intoArray(ti, j);
        }
        if (bound < len) {
            forwardRowsFrom(tr, ti, u, v, cos, sin, off, from, to, bound, len);
        }
    }

    @Override
    void inverseRows(float[] a, float[] b, float[][] r, float[][] im, int t0, float[] cos, float[] sin,
                     int off, int wf, int len) {
        int bound = F.loopBound(len);
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, j);
            FloatVector y = FloatVector.fromArray(F, b, j);
            for (int kw = 1; kw < wf; kw++) {
                FloatVector p = FloatVector.fromArray(F, r[t0 + kw], j).mul(cos[off + kw]);
                FloatVector q = FloatVector.fromArray(F, im[t0 + kw], j).mul(-sin[off + kw]);
                x = x.add(p.add(q));
                y = y.add(p.sub(q));
            }
            x.intoArray(a, j);
            y.intoArray(b, j);
        }
        if (bound < len) {
            inverseRowsFrom(a, b, r, im, t0, cos, sin, off, wf, bound, len);
        }
    }
}
