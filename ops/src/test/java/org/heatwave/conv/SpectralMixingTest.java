package org.heatwave.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-frequency products: against a float64 reference, vectorised equal to scalar bit for bit, and —
 * what makes training independent of the partitioning — an example's result not depending on which
 * other examples share its batch.
 */
class SpectralMixingTest {
    private static final SpectralMixing.Kernels SCALAR = new ScalarMixing();

    @Test
    void testJvmsUseTheVectorisedKernels() {
        assertTrue(SpectralMixing.vectorised(), "the build runs tests with --add-modules=jdk.incubator.vector");
    }

    @ParameterizedTest(name = "n={0} p={1} q={2} nf={3}")
    @CsvSource({"7,16,16,5", "5,32,48,3", "9,3,20,4", "4,64,64,2", "3,1,16,6", "6,17,33,3", "2,5,3,4"})
    void mixMatchesReferenceAndScalar(int n, int p, int q, int nf) {
        SplittableRandom r = new SplittableRandom(n * 1000 + p * 10 + q);
        float[] xr = random(r, nf * n * p);
        float[] xi = random(r, nf * n * p);
        float[] mr = random(r, nf * p * q);
        float[] mi = random(r, nf * p * q);
        float[] z0r = random(r, nf * n * q);
        float[] z0i = random(r, nf * n * q);
        float alpha = -0.75f;
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] zr = z0r.clone();
            float[] zi = z0i.clone();
            SpectralMixing.mix(xr, xi, n, p, mr, mi, q, zr, zi, nf, alpha, accumulate);
            float[] sr = z0r.clone();
            float[] si = z0i.clone();
            SCALAR.mix(xr, xi, n, p, mr, mi, q, sr, si, nf, alpha, accumulate);
            assertArrayEquals(sr, zr, "vectorised and scalar mix differ");
            assertArrayEquals(si, zi, "vectorised and scalar mix differ");
            double err = 0;
            for (int f = 0; f < nf; f++) {
                for (int i = 0; i < n; i++) {
                    for (int b = 0; b < q; b++) {
                        double er = 0;
                        double ei = 0;
                        for (int a = 0; a < p; a++) {
                            double ur = xr[(f * n + i) * p + a];
                            double ui = xi[(f * n + i) * p + a];
                            double vr = mr[(f * p + a) * q + b];
                            double vi = mi[(f * p + a) * q + b];
                            er += alpha * (ur * vr - ui * vi);
                            ei += alpha * (ur * vi + ui * vr);
                        }
                        int z = (f * n + i) * q + b;
                        if (accumulate) {
                            er += z0r[z];
                            ei += z0i[z];
                        }
                        err = Math.max(err, Math.max(Math.abs(er - zr[z]), Math.abs(ei - zi[z])));
                    }
                }
            }
            assertTrue(err < 1e-5 * p, "mix differs from the float64 reference by " + err);
        }
    }

    @ParameterizedTest(name = "n={0} p={1} q={2} nf={3}")
    @CsvSource({"7,16,16,5", "5,32,48,3", "9,3,20,4", "4,64,64,2", "3,1,16,6", "6,17,33,3"})
    void anExamplesResultDoesNotDependOnItsBatch(int n, int p, int q, int nf) {
        SplittableRandom r = new SplittableRandom(n + p + q);
        float[] xr = random(r, nf * n * p);
        float[] xi = random(r, nf * n * p);
        float[] mr = random(r, nf * p * q);
        float[] mi = random(r, nf * p * q);
        float[] zr = new float[nf * n * q];
        float[] zi = new float[nf * n * q];
        SpectralMixing.mix(xr, xi, n, p, mr, mi, q, zr, zi, nf, 1f, false);
        for (int i = 0; i < n; i++) {
            float[] ar = example(xr, nf, n, p, i);
            float[] ai = example(xi, nf, n, p, i);
            float[] br = new float[nf * q];
            float[] bi = new float[nf * q];
            SpectralMixing.mix(ar, ai, 1, p, mr, mi, q, br, bi, nf, 1f, false);
            assertArrayEquals(example(zr, nf, n, q, i), br, "example " + i + " alone differs from in the batch");
            assertArrayEquals(example(zi, nf, n, q, i), bi, "example " + i + " alone differs from in the batch");
        }
    }

    @ParameterizedTest(name = "n={0} p={1} q={2} nf={3}")
    @CsvSource({"7,16,16,5", "5,32,48,3", "9,3,20,4", "4,64,64,2", "3,1,16,6", "6,17,33,3"})
    void correlationIsAFloat32SumPerBatchAddedInFloat64(int n, int p, int q, int nf) {
        SplittableRandom r = new SplittableRandom(7 * n + p + q);
        float[] gr = random(r, nf * n * q);
        float[] gi = random(r, nf * n * q);
        float[] xr = random(r, nf * n * p);
        float[] xi = random(r, nf * n * p);
        float alpha = 0.5f;
        double[] pr = new double[nf * q * p];
        double[] pi = new double[nf * q * p];
        SpectralMixing.correlate(gr, gi, q, xr, xi, p, n, nf, alpha, pr, pi);
        double[] sr = new double[nf * q * p];
        double[] si = new double[nf * q * p];
        SCALAR.correlate(gr, gi, q, xr, xi, p, n, nf, alpha, sr, si);
        assertArrayEquals(sr, pr, "vectorised and scalar correlation differ");
        assertArrayEquals(si, pi, "vectorised and scalar correlation differ");

        // one example at a time, in another order: equal up to the batch's float32 rounding
        double[] er = new double[nf * q * p];
        double[] ei = new double[nf * q * p];
        for (int i = n - 1; i >= 0; i--) {
            SpectralMixing.correlate(example(gr, nf, n, q, i), example(gi, nf, n, q, i), q,
                    example(xr, nf, n, p, i), example(xi, nf, n, p, i), p, 1, nf, alpha, er, ei);
        }
        double scale = Arrays.stream(pr).map(Math::abs).max().orElse(1);
        for (int j = 0; j < pr.length; j++) {
            assertTrue(Math.abs(pr[j] - er[j]) <= 1e-6 * scale * n, "re " + j + ": " + pr[j] + " vs " + er[j]);
            assertTrue(Math.abs(pi[j] - ei[j]) <= 1e-6 * scale * n, "im " + j + ": " + pi[j] + " vs " + ei[j]);
        }
        // and the value itself: Σ_i conj(g) x
        for (int f = 0; f < nf; f++) {
            for (int o = 0; o < q; o++) {
                for (int c = 0; c < p; c++) {
                    double vr = 0;
                    double vi = 0;
                    for (int i = 0; i < n; i++) {
                        double a = gr[(f * n + i) * q + o];
                        double b = gi[(f * n + i) * q + o];
                        double x = xr[(f * n + i) * p + c];
                        double y = xi[(f * n + i) * p + c];
                        vr += alpha * (a * x + b * y);
                        vi += alpha * (a * y - b * x);
                    }
                    int j = (f * q + o) * p + c;
                    assertTrue(Math.abs(vr - pr[j]) < 1e-6 * n && Math.abs(vi - pi[j]) < 1e-6 * n, "P at " + j);
                }
            }
        }
    }

    /** Example i's [nf][c] blocks of an [nf][n][c] array. */
    private static float[] example(float[] a, int nf, int n, int c, int i) {
        float[] out = new float[nf * c];
        for (int f = 0; f < nf; f++) {
            System.arraycopy(a, (f * n + i) * c, out, f * c, c);
        }
        return out;
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] a = new float[size];
        for (int j = 0; j < size; j++) {
            a[j] = (float) (2 * r.nextDouble() - 1);
        }
        return a;
    }
}
