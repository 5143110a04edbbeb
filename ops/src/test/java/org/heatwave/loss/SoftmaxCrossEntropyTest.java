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
    void labelSmoothingIsTheCrossEntropyOfTheSmoothedTargetWithItsGradient() {
        float[] scores = {1, 2, 3, 0.5f, -1, 0.25f, 2, -0.5f};
        int[] labels = {2, 0};
        double eps = 0.1;
        int k = 4;
        FeatureMap s = new FeatureMap(1, 1, 2, k, scores.clone());
        FeatureMap g = s.zerosLike();
        LossResult r = SoftmaxCrossEntropy.evaluate(s, labels, 0, g, null, eps);
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (int j = 0; j < k; j++) {
                z += Math.exp(scores[i * k + j]);
            }
            for (int j = 0; j < k; j++) {
                double q = (j == labels[i] ? 1 - eps : 0) + eps / k;
                double p = Math.exp(scores[i * k + j]) / z;
                expected -= q * Math.log(p);
                assertEquals(p - q, g.data()[i * k + j], 1e-6, "gradient softmax - q at " + i + "," + j);
            }
        }
        assertEquals(expected, r.loss(), 1e-6);
        assertEquals(1, r.correct(), "the correct count is still the arg-max against the label");
        // the gradient is the derivative of the loss: central differences in every score
        for (int e = 0; e < scores.length; e++) {
            float[] plus = scores.clone(), minus = scores.clone();
            plus[e] += 1e-2f;
            minus[e] -= 1e-2f;
            double fd = (SoftmaxCrossEntropy.evaluate(new FeatureMap(1, 1, 2, k, plus), labels, 0, null, null, eps).loss()
                    - SoftmaxCrossEntropy.evaluate(new FeatureMap(1, 1, 2, k, minus), labels, 0, null, null, eps).loss())
                    / ((double) plus[e] - minus[e]);
            assertEquals(fd, g.data()[e], 1e-4, "finite difference in score " + e);
        }
        // ε = 0 is the plain cross-entropy, bit for bit
        FeatureMap g0 = s.zerosLike(), gPlain = s.zerosLike();
        assertEquals(SoftmaxCrossEntropy.evaluate(s, labels, 0, gPlain), SoftmaxCrossEntropy.evaluate(s, labels, 0, g0, null, 0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(gPlain.data(), g0.data());
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(s, labels, 0, null, null, 1.0));
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
