package org.heatwave.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.heatwave.tensor.FeatureMap;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {

    @Test
    void valueGradientAndAccuracyOnAKnownCase() {
        FeatureMap s = new FeatureMap(1, 1, 2, 3, new float[] {1, 2, 3, 0, 0, 0});
        FeatureMap g = s.zerosLike();
        LossResult r = SoftmaxCrossEntropy.evaluate(s, new int[] {2, 1}, 0, g);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(-Math.log(Math.exp(3) / z) + Math.log(3), r.loss(), 1e-6);
        assertEquals(1, r.correct(), "arg max of the first is 2 (right); of the second 0 (ties: first)");
        assertEquals(2, r.count());
        assertEquals(Math.exp(1) / z, g.data()[0], 1e-6);
        assertEquals(Math.exp(3) / z - 1, g.data()[2], 1e-6);
        assertEquals(1.0 / 3 - 1, g.data()[4], 1e-6);
    }

    @Test
    void largeScoresDoNotOverflow() {
        FeatureMap s = new FeatureMap(1, 1, 1, 2, new float[] {1000, -1000});
        LossResult r = SoftmaxCrossEntropy.evaluate(s, new int[] {1}, 0, null);
        assertEquals(2000, r.loss(), 1e-3);
    }

    @Test
    void labelOutOfRangeIsRefused() {
        FeatureMap s = new FeatureMap(1, 1, 1, 3);
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(s, new int[] {3}, 0, null));
    }

    @Test
    void lossResultIsAMonoid() {
        LossResult a = new LossResult(1.5, 2, 4), b = new LossResult(0.5, 1, 2), c = new LossResult(2, 0, 3);
        assertEquals(a.plus(b).plus(c), a.plus(b.plus(c)));
        assertEquals(a.plus(b), b.plus(a));
        assertEquals(a, a.plus(LossResult.ZERO));
    }
}
