package org.heatwave.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Normalization;
import org.heatwave.testkit.DerivativeCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Networks of every block type and head: built from names, exact derivatives end to end, clear errors. */
class ArchitectureTest {
    private static final Geometry IN = new Geometry(8, 8, 1);

    static List<String> types() {
        return Architecture.BLOCK_TYPES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyBlockTypeBuildsANetworkWithExactDerivatives(String type) {
        Architecture arch = new Architecture(List.of(type), "per-step", false, "global-average");
        Network net = Network.build(IN, new int[] {4, 6}, 2, 0.4, Activation.TANH, Activation.TANH,
                Normalization.INSTANCE, arch, 5);
        assertEquals(new Geometry(1, 1, 5), net.body().output());
        // every block passes the strict kit on its own (LayerDerivativeTest); composed into a whole network the
        // Taylor remainder reaches its asymptotic order only near float32 noise, so the network is checked by
        // the adjoint test and a central difference
        new DerivativeCheck(net.body(), 3, 99).piecewiseSmooth();
    }

    @Test
    void mixedBlocksTimeWeightsAndTheFullHead() {
        Architecture arch = new Architecture(List.of("resnet", "hamiltonian"), "hats(2)", true, "full");
        Network net = Network.build(IN, new int[] {4, 6}, 3, 0.3, Activation.TANH, Activation.TANH,
                Normalization.INSTANCE, arch, 5);
        assertTrue(net.body().describe().contains("resnet") && net.body().describe().contains("hamiltonian"),
                net.body().describe());
        assertTrue(net.body().describe().contains("classifier W Y + μ"), net.body().describe());
        new DerivativeCheck(net.body(), 2, 98).piecewiseSmooth();
    }

    @Test
    void regularizersCoverPerStepBlocksAndTheFullClassifier() {
        Architecture arch = new Architecture(List.of("resnet", "parabolic"), "per-step", false, "full");
        Network net = Network.build(IN, new int[] {4, 6}, 3, 0.3, Activation.TANH, Activation.TANH,
                Normalization.INSTANCE, arch, 5);
        List<org.heatwave.reg.Regularizer> regs = net.regularizers(org.heatwave.reg.TimeSmoothness.Kind.QUADRATIC, 0.1,
                1e-3, 0.01);
        assertEquals(3, regs.size(), regs.toString());
        double[] theta = net.init(4);
        double[] grad = new double[theta.length];
        for (org.heatwave.reg.Regularizer r : regs) {
            assertTrue(r.addGradient(theta, grad) > 0, r.describe());
        }
        // only the blocks' and the classifier's parameters are touched
        int touched = 0;
        for (int i = 0; i < net.body().layers().size(); i++) {
            org.heatwave.layer.Layer l = net.body().layers().get(i);
            int off = net.body().offset(i);
            boolean regularised = l instanceof org.heatwave.block.TimeStepped || l instanceof org.heatwave.layer.FullClassifier;
            for (int j = off; j < off + l.paramCount(); j++) {
                if (grad[j] != 0) {
                    assertTrue(regularised, l.describe() + " got a regulariser gradient");
                    touched++;
                }
            }
        }
        assertTrue(touched > 0);
        assertEquals(0, net.regularizers(org.heatwave.reg.TimeSmoothness.Kind.QUADRATIC, 0, 1e-3, 0).size());
    }

    @Test
    void theReferenceArchitectureIsTheParabolicNetwork() {
        Network a = Network.parabolic(IN, new int[] {4, 8}, 2, 0.5, Activation.TANH, 10);
        Network b = Network.build(IN, new int[] {4, 8}, 2, 0.5, Activation.TANH, Activation.RELU, Normalization.INSTANCE,
                Architecture.PARABOLIC, 10);
        assertEquals(a.body().describe(), b.body().describe());
        assertArrayEquals(a.init(7), b.init(7));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Architecture(List.of("resnet", "telegraph"), "per-step", false, "global-average"));
        assertTrue(e.getMessage().contains("telegraph") && e.getMessage().contains("leapfrog"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(List.of("resnet"), "hats(x)", false, "global-average"));
        assertThrows(IllegalArgumentException.class,
                () -> new Architecture(List.of("resnet"), "per-step", false, "max-pool"));
        Architecture three = new Architecture(List.of("resnet", "lean", "imex"), "per-step", false, "global-average");
        assertThrows(IllegalArgumentException.class, () -> Network.build(IN, new int[] {4, 8}, 2, 0.5, Activation.TANH,
                Activation.RELU, Normalization.INSTANCE, three, 10));
        Architecture constantParabolic = new Architecture(List.of("parabolic"), "constant", false, "global-average");
        assertThrows(IllegalArgumentException.class, () -> Network.build(IN, new int[] {4}, 2, 0.5, Activation.TANH,
                Activation.RELU, Normalization.INSTANCE, constantParabolic, 10));
    }
}
