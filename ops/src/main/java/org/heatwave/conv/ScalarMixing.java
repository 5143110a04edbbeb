package org.heatwave.conv;

/**
 * {@link SpectralMixing}'s products as plain loops: the fallback when the Vector API is not available and
 * the reference the vectorised kernels are tested against (bit for bit: the same fused multiply-adds in
 * the same order).
 */
final class ScalarMixing implements SpectralMixing.Kernels {

    @Override
    public void mix(float[] xr, float[] xi, int n, int p, float[] mr, float[] mi, int q,
                    float[] zr, float[] zi, int nf, float alpha, boolean accumulate) {
        for (int f = 0; f < nf; f++) {
            mixColumns(xr, xi, n, p, mr, mi, q, zr, zi, f, 0, alpha, accumulate);
        }
    }

    /** Columns {@code b0 ≤ b < q} of frequency f's product (shared with the vectorised kernel's tail). */
    static void mixColumns(float[] xr, float[] xi, int n, int p, float[] mr, float[] mi, int q,
                           float[] zr, float[] zi, int f, int b0, float alpha, boolean accumulate) {
        int x0 = f * n * p;
        int m0 = f * p * q;
        int z0 = f * n * q;
        for (int i = 0; i < n; i++) {
            for (int b = b0; b < q; b++) {
                float sr = 0f;
                float si = 0f;
                for (int a = 0; a < p; a++) {
                    float vr = xr[x0 + i * p + a];
                    float vi = xi[x0 + i * p + a];
                    int m = m0 + a * q + b;
                    sr = Math.fma(vi, -mi[m], Math.fma(vr, mr[m], sr));
                    si = Math.fma(vi, mr[m], Math.fma(vr, mi[m], si));
                }
                float re = sr * alpha;
                float im = si * alpha;
                int z = z0 + i * q + b;
                if (accumulate) {
                    zr[z] += re;
                    zi[z] += im;
                } else {
                    zr[z] = re;
                    zi[z] = im;
                }
            }
        }
    }

    @Override
    public void correlate(float[] gr, float[] gi, int q, float[] xr, float[] xi, int p, int n, int nf,
                          float alpha, double[] pr, double[] pi) {
        correlateColumns(gr, gi, q, xr, xi, p, n, 0, nf, 0, alpha, pr, pi);
    }

    /**
     * Columns {@code c0 ≤ c < p} of the correlation at frequencies {@code f0 ≤ f < f1} (shared with the
     * vectorised kernel's tail).
     */
    static void correlateColumns(float[] gr, float[] gi, int q, float[] xr, float[] xi, int p, int n,
                                 int f0, int f1, int c0, float alpha, double[] pr, double[] pi) {
        for (int f = f0; f < f1; f++) {
            int g0 = f * n * q;
            int x0 = f * n * p;
            int p0 = f * q * p;
            for (int o = 0; o < q; o++) {
                for (int c = c0; c < p; c++) {
                    float sr = 0f;
                    float si = 0f;
                    for (int i = 0; i < n; i++) {
                        float ur = gr[g0 + i * q + o];
                        float ui = gi[g0 + i * q + o];
                        float vr = xr[x0 + i * p + c];
                        float vi = xi[x0 + i * p + c];
                        sr = Math.fma(ui, vi, Math.fma(ur, vr, sr));
                        si = Math.fma(ui, -vr, Math.fma(ur, vi, si));
                    }
                    pr[p0 + o * p + c] += sr * alpha;
                    pi[p0 + o * p + c] += si * alpha;
                }
            }
        }
    }
}
