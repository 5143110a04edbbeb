package org.heatwave.block;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.layer.SymmetricLayer;
import org.heatwave.net.Blocks;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.heatwave.testkit.Retained;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Verlet and leapfrog blocks: reversibility, memory-free gradients equal stored ones, the leapfrog recurrence. */
class VerletBlockTest {
    private static final Geometry G = new Geometry(6, 6, 3);

    /** The same block twice: reversible, and with every state stored. */
    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(Blocks.hamiltonian(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(4), 0.2, false),
                        Blocks.hamiltonian(G, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(4), 0.2, true)),
                Arguments.of(Blocks.verlet(G, 3, Activation.TANH, TimeWeights.constant(5), 0.1, false),
                        Blocks.verlet(G, 3, Activation.TANH, TimeWeights.constant(5), 0.1, true)),
                Arguments.of(Blocks.leapfrog(G, 3, Activation.TANH, null, TimeWeights.hats(6, 3), 0.3, false),
                        Blocks.leapfrog(G, 3, Activation.TANH, null, TimeWeights.hats(6, 3), 0.3, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void recomputingTheStatesGivesTheStoredStatesGradient(VerletBlock reversible, VerletBlock stored) {
        double[] theta = new double[reversible.paramCount()];
        reversible.init(theta, 0, new SplittableRandom(3));
        FeatureMap y = Fixtures.normal(6, 6, 2, 3, 4);
        FeatureMap w = Fixtures.normal(6, 6, 2, 3, 5);
        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        Layer.Bound b1 = reversible.bind(theta, 0);
        Layer.Bound b2 = stored.bind(theta, 0);
        FeatureMap x1 = b1.vjp(b1.forward(y), w, g1, 0);
        FeatureMap x2 = b2.vjp(b2.forward(y), w, g2, 0);
        assertTrue(Fixtures.relativeMaxError(g2, g1) < 1e-4, "θ-gradient " + Fixtures.relativeMaxError(g2, g1));
        assertTrue(Fixtures.relativeMaxError(x2.data(), x1.data()) < 1e-4,
                "input cotangent " + Fixtures.relativeMaxError(x2.data(), x1.data()));
    }

    static Stream<Arguments> deep() {
        Geometry g = new Geometry(8, 8, 4);
        return Stream.of(
                Arguments.of(Blocks.hamiltonian(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(64), 0.1, false)),
                Arguments.of(Blocks.verlet(g, 3, Activation.TANH, TimeWeights.perStep(64), 0.1, false)),
                Arguments.of(Blocks.leapfrog(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(64), 0.1, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deep")
    void reconstructsItsInputAfter64Steps(VerletBlock block) {
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(11));
        FeatureMap y = Fixtures.normal(8, 8, 3, 4, 12);
        Layer.Bound b = block.bind(theta, 0);
        Layer.Trace t = b.forward(y);
        FeatureMap back = block.reconstructInput(b, t);
        double err = Fixtures.relativeMaxError(y.data(), back.data());
        assertTrue(err <= 1e-4, block.describe() + ": input reconstructed to " + err + " after 64 steps");
        // and the block did move the features (the test is not vacuous)
        assertTrue(Fixtures.relativeMaxError(y.data(), t.output().data()) > 1e-2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deep")
    void reversibleBlocksOf64StepsHoldUnderAnEighthOfTheActivations(VerletBlock reversible) {
        VerletBlock stored = new VerletBlock("stored", reversible, true);
        double[] theta = new double[reversible.paramCount()];
        reversible.init(theta, 0, new SplittableRandom(31));
        FeatureMap y = Fixtures.normal(8, 8, 3, 4, 32);
        long kept = Retained.bytes(reversible.bind(theta, 0).forward(y), y);
        long all = Retained.bytes(stored.bind(theta, 0).forward(y), y);
        long state = 4L * y.data().length;
        assertTrue(kept <= all / 8, reversible.describe() + ": keeps " + kept + " bytes, storing all " + all);
        assertTrue(kept <= 2 * state, "the final Y and Z only: " + kept + " bytes, a state is " + state);
    }

    @Test
    void leapfrogIsTheThreeTermRecurrence() {
        double h = 0.3;
        int nt = 5;
        VerletBlock block = Blocks.leapfrog(G, 3, Activation.TANH, Normalization.LAYER, TimeWeights.perStep(nt), h, false);
        double[] theta = new double[block.paramCount()];
        block.init(theta, 0, new SplittableRandom(21));
        FeatureMap y0 = Fixtures.normal(6, 6, 2, 3, 22);
        SymmetricLayer s = new SymmetricLayer(G, 3, Activation.TANH, Normalization.LAYER);
        // Y_{j+1} = 2Y_j − Y_{j−1} − h² S_j(Y_j), Y_{−1} = Y_0
        float[] prev = y0.data().clone();
        float[] cur = y0.data().clone();
        for (int j = 0; j < nt; j++) {
            float[] sy = s.bind(theta, j * s.paramCount())
                    .forward(new FeatureMap(6, 6, 2, 3, cur.clone())).output().data();
            float[] next = new float[cur.length];
            for (int i = 0; i < next.length; i++) {
                next[i] = (float) (2.0 * cur[i] - prev[i] - h * h * sy[i]);
            }
            prev = cur;
            cur = next;
        }
        double err = Fixtures.relativeMaxError(cur, block.bind(theta, 0).forward(y0).output().data());
        assertTrue(err < 1e-5, "leapfrog differs from the three-term recurrence by " + err);
    }
}
