package org.heatwave.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.heatwave.conv.DirectConv;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parametric stencil model: derivatives (Taylor test of the expansion and adjoint test of
 * {@code Qᵀ} against {@code Q}, in float64) and the structure it promises.
 */
class StencilModelsTest {

    static Stream<StencilModel> models() {
        return Stream.of(
                StencilModels.full(3, 2, 3), StencilModels.full(2, 2, 5),
                StencilModels.diagonal(3, 3),
                StencilModels.antisymmetric(3, 3), StencilModels.antisymmetric(2, 5),
                StencilModels.mMatrix(3, 3),
                StencilModels.fivePoint(2, 3), StencilModels.depthwiseFivePoint(3),
                StencilModels.doublySymmetric(2, 3, 3), StencilModels.doublySymmetric(1, 2, 5),
                StencilModels.zeroMean(2, 2, 3),
                new SeparableModel(2, 3, 3), new SeparableModel(1, 1, 5),
                new LeanModel(4, 3, 3, true), new LeanModel(2, 3, 5, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void derivativesPassTaylorAndAdjointTests(StencilModel m) {
        double[] theta = Fixtures.normal(m.paramCount(), 1, 1);
        double[] v = Fixtures.normal(m.paramCount(), 1, 2);
        double[] w = Fixtures.normal(m.fullCount(), 1, 3);
        double[] k0 = new double[m.fullCount()];
        double[] jv = new double[m.fullCount()];
        m.expand(theta, 0, k0);
        m.expandTangent(theta, 0, v, 0, jv);
        // Taylor: ‖K(θ + εv) − K(θ) − ε J v‖ is O(ε²) (zero up to rounding for linear models)
        double previous = Double.NaN;
        for (double eps = 0.1; eps > 1e-4; eps /= 2) {
            double[] shifted = theta.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += eps * v[i];
            }
            double[] k1 = new double[m.fullCount()];
            m.expand(shifted, 0, k1);
            double err = 0;
            double ref = 0;
            for (int i = 0; i < k1.length; i++) {
                err = Math.max(err, Math.abs(k1[i] - k0[i] - eps * jv[i]));
                ref = Math.max(ref, Math.abs(eps * jv[i]));
            }
            if (m instanceof LinearStencilModel) {
                assertTrue(err <= 1e-13 * Math.max(1, ref), m.describe() + ": linear model has remainder " + err);
            } else if (!Double.isNaN(previous)) {
                double order = Math.log(previous / err) / Math.log(2);
                assertTrue(order > 1.9, m.describe() + ": Taylor order " + order + " at eps " + eps);
            }
            previous = err;
        }
        // adjoint: ⟨J v, w⟩ = ⟨v, Jᵀ w⟩
        double[] jtw = new double[m.paramCount()];
        m.expandAdjoint(theta, 0, w, jtw, 0);
        double lhs = Fixtures.dot(jv, w);
        double rhs = Fixtures.dot(v, jtw);
        assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)), m.describe() + ": adjoint test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void structureIsWhatTheModelPromises(StencilModel m) {
        double[] theta = Fixtures.normal(m.paramCount(), 1, 4);
        m.project(theta, 0);
        double[] f = new double[m.fullCount()];
        m.expand(theta, 0, f);
        int k = m.stencilSize();
        int taps = k * k;
        String name = m.describe();
        for (int o = 0; o < m.cout(); o++) {
            for (int c = 0; c < m.cin(); c++) {
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        double v = at(f, m, o, c, dy, dx);
                        double mirrored = at(f, m, c, o, k - 1 - dy, k - 1 - dx);
                        boolean corner = (dy == 0 || dy == 2) && (dx == 0 || dx == 2);
                        if (name.startsWith("diagonal") || name.startsWith("depthwise")) {
                            assertTrue(o == c || v == 0, name + ": coupling between different channels");
                        }
                        if (name.startsWith("antisymmetric")) {
                            assertEquals(-mirrored, v, 1e-15, name + ": Kᵀ = −K");
                        }
                        if (name.startsWith("m-matrix") && !(o == c && dy == k / 2 && dx == k / 2)) {
                            assertTrue(v <= 0, name + ": off-diagonal entry " + v);
                        }
                        if (name.startsWith("5-point") || name.startsWith("depthwise 5-point")) {
                            assertTrue(!corner || v == 0, name + ": corner " + v);
                        }
                        if (name.startsWith("doubly")) {
                            assertEquals(v, at(f, m, o, c, k - 1 - dy, dx), 0.0, name);
                            assertEquals(v, at(f, m, o, c, dy, k - 1 - dx), 0.0, name);
                        }
                        if (name.startsWith("separable")) {
                            // rank one: θ[dy][dx]·θ[0][0] = θ[dy][0]·θ[0][dx]
                            assertEquals(v * at(f, m, o, c, 0, 0), at(f, m, o, c, dy, 0) * at(f, m, o, c, 0, dx), 1e-12, name);
                        }
                    }
                }
                if (name.startsWith("zero-mean")) {
                    double sum = 0;
                    for (int t = 0; t < taps; t++) {
                        sum += f[(o * m.cin() + c) * taps + t];
                    }
                    assertEquals(0, sum, 1e-13, name + ": stencil mean");
                }
            }
            if (name.startsWith("m-matrix")) {
                double row = 0;
                for (int j = 0; j < m.cin() * taps; j++) {
                    row += f[o * m.cin() * taps + j];
                }
                assertEquals(0, row, 1e-12, name + ": K·1 = 0");
            }
        }
        if (name.startsWith("antisymmetric")) {
            // as an operator on periodic images: ⟨K x, x⟩ = 0
            FeatureMap x = Fixtures.normal(6, 7, 2, m.cin(), 5);
            FeatureMap kx = DirectConv.apply(f, 0, m.cout(), k, x);
            assertEquals(0, Fixtures.dot(kx.data(), x.data()), 1e-4 * Math.sqrt(Fixtures.dot(kx.data(), kx.data())));
        }
        if (m instanceof LeanModel) {
            assertEquals(m.cin() * (k == 3 && name.contains("5-point") ? 5 : taps) + m.cout() * m.cin(), m.paramCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bilinear")
    void initialStencilEntriesHaveTheRequestedSpread(StencilModel m) {
        double std = 0.2;
        double[] theta = new double[m.paramCount()];
        m.init(theta, 0, std, new java.util.SplittableRandom(3));
        double[] full = new double[m.fullCount()];
        m.expand(theta, 0, full);
        double sq = 0;
        int count = 0;
        for (double v : full) {
            if (v != 0) {
                sq += v * v;
                count++;
            }
        }
        double observed = Math.sqrt(sq / count);
        assertTrue(observed > 0.6 * std && observed < 1.6 * std, m.describe() + ": entry spread " + observed);
    }

    static List<StencilModel> bilinear() {
        return List.of(new SeparableModel(8, 8, 3), new LeanModel(16, 8, 3, true), new LeanModel(8, 8, 5, false),
                StencilModels.full(8, 8, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projections")
    void zeroMeanIsAnOrthogonalProjection(LinearStencilModel m) {
        double[][] q = m.dense();
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                assertEquals(q[i][j], q[j][i], 1e-15, "Q = Qᵀ");
                double qq = 0;
                for (int l = 0; l < q.length; l++) {
                    qq += q[i][l] * q[l][j];
                }
                assertEquals(q[i][j], qq, 1e-14, "Q² = Q");
            }
        }
    }

    static List<LinearStencilModel> projections() {
        return List.of(StencilModels.zeroMean(1, 2, 3), StencilModels.zeroMean(2, 1, 5));
    }

    /** {@code θ[o][c][dy][dx]}, or 0 for a channel pair the model does not have (mirrors of non-square ones). */
    private static double at(double[] f, StencilModel m, int o, int c, int dy, int dx) {
        if (o >= m.cout() || c >= m.cin()) {
            return 0;
        }
        return f[((o * m.cin() + c) * m.stencilSize() + dy) * m.stencilSize() + dx];
    }
}
