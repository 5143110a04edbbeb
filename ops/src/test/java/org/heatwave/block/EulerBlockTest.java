package org.heatwave.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.AntisymmetricLayer;
import org.heatwave.layer.ConvNormAct;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Blocks;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.kernels.StencilModels;

/** Forward Euler blocks: the time parametrisations, the antisymmetric operator, clear refusals. */
class EulerBlockTest {
    private static final Geometry G = new Geometry(6, 5, 3);

    @Test
    void constantWeightsEqualPerStepWeightsWithEqualSets() {
        EulerBlock constant = Blocks.resnet(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.constant(3), 0.3);
        EulerBlock perStep = Blocks.resnet(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(3), 0.3);
        double[] shared = new double[constant.paramCount()];
        constant.init(shared, 0, new SplittableRandom(5));
        double[] copies = new double[perStep.paramCount()];
        for (int j = 0; j < 3; j++) {
            System.arraycopy(shared, 0, copies, j * shared.length, shared.length);
        }
        FeatureMap y = Fixtures.normal(6, 5, 2, 3, 6);
        assertArrayEquals(perStep.bind(copies, 0).forward(y).output().data(),
                constant.bind(shared, 0).forward(y).output().data());
    }

    @Test
    void hatsInterpolateLinearlyBetweenEquallySpacedSets() {
        TimeWeights hats = TimeWeights.hats(5, 3);
        // steps at t = 0, ¼, ½, ¾, 1; sets at 0, ½, 1
        double[][] expected = {{1, 0, 0}, {0.5, 0.5, 0}, {0, 1, 0}, {0, 0.5, 0.5}, {0, 0, 1}};
        for (int j = 0; j < 5; j++) {
            for (int m = 0; m < 3; m++) {
                assertEquals(expected[j][m], hats.weight(j, m), 1e-15, "B[" + j + "][" + m + "]");
            }
        }
        assertEquals(3, hats.sets());
        assertThrows(IllegalArgumentException.class, () -> TimeWeights.hats(4, 1));
    }

    @Test
    void theAntisymmetricOperatorIsSkew() {
        // with σ = identity, γ = 0 and b = 0, f(Y) = ½(K − Kᵀ)Y, so ⟨Y, f(Y)⟩ = 0 for every Y and K
        AntisymmetricLayer f = new AntisymmetricLayer(new Geometry(7, 6, 4), 3, 0, Activation.IDENTITY);
        double[] theta = new double[f.paramCount()];
        f.init(theta, 0, new SplittableRandom(7));
        FeatureMap y = Fixtures.normal(7, 6, 3, 4, 8);
        FeatureMap z = f.bind(theta, 0).forward(y).output();
        double inner = 0;
        double norms = 0;
        for (int i = 0; i < y.data().length; i++) {
            inner += (double) y.data()[i] * z.data()[i];
            norms += (double) z.data()[i] * z.data()[i];
        }
        assertTrue(Math.abs(inner) < 1e-5 * norms, "⟨Y, ½(K − Kᵀ)Y⟩ = " + inner + " (‖f‖² = " + norms + ")");
    }

    @Test
    void dampingMakesItContract() {
        // with γ > 0 the linear part is ½(K − Kᵀ) − ½γ I: ⟨Y, f(Y)⟩ = −½γ‖Y‖²
        AntisymmetricLayer f = new AntisymmetricLayer(new Geometry(5, 5, 2), 3, 0.4, Activation.IDENTITY);
        double[] theta = new double[f.paramCount()];
        f.init(theta, 0, new SplittableRandom(9));
        FeatureMap y = Fixtures.normal(5, 5, 2, 2, 10);
        FeatureMap z = f.bind(theta, 0).forward(y).output();
        double inner = 0;
        double norm = 0;
        for (int i = 0; i < y.data().length; i++) {
            inner += (double) y.data()[i] * z.data()[i];
            norm += (double) y.data()[i] * y.data()[i];
        }
        assertEquals(-0.2 * norm, inner, 1e-4 * norm);
    }

    @ParameterizedTest(name = "depthwise {0}")
    @ValueSource(booleans = {false, true})
    void anImexStepSolvesItsDefiningEquation(boolean depthwise) {
        // Y⁺ = (I + hL)⁻¹(Y + hLY + h f(Y)) ⟺ (Y⁺ − Y) + hL(Y⁺ − Y) = h f(Y), with L = L_θᵀ L_θ
        double h = 0.4;
        EulerBlock block = Blocks.imex(G, 3, Activation.TANH, Normalization.INSTANCE, depthwise, TimeWeights.perStep(1), h);
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(41));
        FeatureMap y = Fixtures.normal(6, 5, 2, 3, 42);
        FeatureMap next = block.bind(theta, 0).forward(y).output();
        Layer f = Blocks.resnet(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(1), h);
        int fp = f.paramCount();
        // f(Y) alone: a resnet block of one step with h = 1 gives Y + f(Y)
        Layer unit = Blocks.resnet(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(1), 1.0);
        FeatureMap yPlusF = unit.bind(theta, 0).forward(y).output();
        // L_θ as a full stencil (a depthwise one expanded)
        double[] stencil = new double[9 * 9];
        if (depthwise) {
            StencilModels.diagonal(3, 3).expand(theta, fp, stencil);
        } else {
            System.arraycopy(theta, fp, stencil, 0, stencil.length);
        }
        Convolution l = new Convolution(3, 3, 3, 6, 5, Boundary.PERIODIC, 1, Convolution.Method.FFT);
        PreparedKernel k = l.prepare(stencil, 0);
        FeatureMap dy = next.copy();
        for (int i = 0; i < dy.data().length; i++) {
            dy.data()[i] -= y.data()[i];
        }
        FeatureMap ldy = l.applyTranspose(k, l.apply(k, dy));
        double err = 0;
        double scale = 0;
        for (int i = 0; i < dy.data().length; i++) {
            double lhs = dy.data()[i] + h * ldy.data()[i];
            double rhs = h * (yPlusF.data()[i] - y.data()[i]);
            err = Math.max(err, Math.abs(lhs - rhs));
            scale = Math.max(scale, Math.abs(rhs));
        }
        assertTrue(err < 1e-5 * scale, "residual " + err + " of " + scale);
    }

    @Test
    void refusesRightHandSidesThatChangeTheGeometryOrKeepBatchStatistics() {
        Layer widening = new ConvNormAct(G, 4, 3, Activation.TANH);
        assertThrows(IllegalArgumentException.class, () -> new EulerBlock("x", widening, TimeWeights.perStep(2), 0.1));
        Layer batch = new ConvNormAct(G, 3, 3, Activation.TANH, Normalization.BATCH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EulerBlock("x", batch, TimeWeights.perStep(2), 0.1));
        assertTrue(e.getMessage().contains("batch normalisation"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EulerBlock("x", new AntisymmetricLayer(G, 3, 0, Activation.TANH), TimeWeights.perStep(2), 0));
    }
}
