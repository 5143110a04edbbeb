package org.heatwave.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.heatwave.loss.LossResult;
import org.heatwave.loss.SoftmaxCrossEntropy;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The Q-tips generator and the per-pixel loss and metrics of segmentation. */
class QtipsTest {

    @Test
    void imagesDependOnTheSeedAndIndexOnly() {
        Qtips q = new Qtips(24, 20, 0.3);
        Qtips.Sample all = q.generate(7, 0, 6);
        Qtips.Sample head = q.generate(7, 0, 2);
        Qtips.Sample tail = q.generate(7, 2, 4);
        int size = 24 * 20;
        assertArrayEquals(Arrays.copyOfRange(all.pixels(), 0, 2 * size), head.pixels());
        assertArrayEquals(Arrays.copyOfRange(all.labels(), 2 * size, 6 * size), tail.labels());
        assertTrue(!Arrays.equals(all.labels(), q.generate(8, 0, 6).labels()), "another seed, other images");
    }

    @Test
    void everyImageHasShaftsAndTipsDrawnWhereTheLabelsSay() {
        Qtips q = new Qtips(32, 32, 0);
        Qtips.Sample s = q.generate(3, 0, 20);
        int size = 32 * 32;
        for (int i = 0; i < 20; i++) {
            int[] count = new int[3];
            for (int p = 0; p < size; p++) {
                int label = s.labels()[i * size + p];
                count[label]++;
                assertEquals(label == Qtips.BACKGROUND ? 0f : 1f, s.pixels()[i * size + p], "image " + i + " pixel " + p);
            }
            assertTrue(count[Qtips.SHAFT] >= 10 && count[Qtips.TIP] >= 20, "image " + i + ": " + Arrays.toString(count));
            assertTrue(count[Qtips.BACKGROUND] > size / 2, "mostly background: " + Arrays.toString(count));
        }
        assertThrows(IllegalArgumentException.class, () -> new Qtips(8, 32, 0));
    }

    @Test
    void thePerPixelLossHasTheSoftmaxGradientAndCountsEveryPixel() {
        int n = 2;
        FeatureMap s = Fixtures.normal(4, 5, n, 3, 11);
        int[] masks = new int[n * 20];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = (i * 7) % 3;
        }
        FeatureMap g = s.zerosLike();
        long[] confusion = new long[9];
        LossResult r = SoftmaxCrossEntropy.evaluatePixels(s, masks, g, confusion);
        assertEquals(40, r.count());
        assertEquals(40, Arrays.stream(confusion).sum());
        assertEquals(r.correct(), confusion[0] + confusion[4] + confusion[8]);
        // the gradient against a central difference, one score at a time
        double eps = 1e-2;
        for (int at : new int[] {0, 7, 33, 119}) {
            FeatureMap plus = s.copy();
            plus.data()[at] += (float) eps;
            FeatureMap minus = s.copy();
            minus.data()[at] -= (float) eps;
            double fd = (SoftmaxCrossEntropy.evaluatePixels(plus, masks, null, null).loss()
                    - SoftmaxCrossEntropy.evaluatePixels(minus, masks, null, null).loss()) / (2 * eps);
            assertEquals(fd, g.data()[at], 1e-3, "score " + at);
        }
    }

    @Test
    void iouIsIntersectionOverUnionPerClass() {
        // true 0: 5 pixels predicted 0, 1 predicted 1; true 1: 2 predicted 1; class 2 absent
        long[] c = {5, 1, 0, 0, 2, 0, 0, 0, 0};
        double[] iou = SoftmaxCrossEntropy.iou(c, 3);
        assertEquals(5.0 / 6, iou[0], 1e-12);
        assertEquals(2.0 / 3, iou[1], 1e-12);
        assertTrue(Double.isNaN(iou[2]));
    }
}
