package org.heatwave.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.heatwave.conv.Boundary;
import org.heatwave.net.ClassificationObjective;
import org.heatwave.net.Network;
import org.heatwave.opt.Evaluation;
import org.heatwave.reg.Regularizer;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Data augmentation: each example's transform is a function of (seed, pass, example) alone, covers every shift and
 * both orientations, moves the pixels as its equation says under both boundary conditions, gives the same image
 * however the examples are grouped, and the augmented objective is the plain objective of the transformed images.
 */
class AugmentationTest {

    private static Batch numbered(int n, int c, int h, int w) {
        float[] d = new float[n * c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return new Batch(new Shape(n, c, h, w), d);
    }

    @Test
    void aTransformIsAFunctionOfSeedPassAndExampleCoveringEveryShiftAndBothOrientations() {
        Augmentation a = new Augmentation(2, true, Boundary.PERIODIC, 0, 7);
        Set<Augmentation.Transform> seen = new HashSet<>();
        int differsByPass = 0, differsBySeed = 0;
        Augmentation other = new Augmentation(2, true, Boundary.PERIODIC, 0, 8);
        for (int i = 0; i < 2000; i++) {
            Augmentation.Transform t = a.transform(3, i);
            assertEquals(t, new Augmentation(2, true, Boundary.PERIODIC, 0.1, 7).transform(3, i), "same draw");
            assertTrue(Math.abs(t.dy()) <= 2 && Math.abs(t.dx()) <= 2, t.toString());
            seen.add(t);
            differsByPass += t.equals(a.transform(4, i)) ? 0 : 1;
            differsBySeed += t.equals(other.transform(3, i)) ? 0 : 1;
        }
        assertEquals(5 * 5 * 2, seen.size(), "every shift in -2..2 on both axes, mirrored or not");
        assertTrue(differsByPass > 1800 && differsBySeed > 1800, differsByPass + " / " + differsBySeed + " of 2000 differ");
        Augmentation noFlip = new Augmentation(1, false, Boundary.PERIODIC, 0, 7);
        for (int i = 0; i < 100; i++) {
            assertTrue(!noFlip.transform(0, i).flip());
        }
        assertEquals(new Augmentation.Transform(0, 0, false), new Augmentation(0, false, Boundary.PERIODIC, 0.2, 7).transform(5, 9),
                "label smoothing alone transforms no image");
        assertEquals("random shifts up to 2 px (periodic) · left-right mirror images", a.describe());
        assertEquals("label smoothing 0.2", new Augmentation(0, false, Boundary.PERIODIC, 0.2, 7).describe());
        assertTrue(new Augmentation(0, false, Boundary.ZERO, 0, 7).isIdentity() && !a.isIdentity());
    }

    @Test
    void pixelsMoveAsTheEquationSaysUnderBothBoundaryConditions() {
        int c = 2, h = 5, w = 6;
        for (Boundary boundary : Boundary.values()) {
            Augmentation a = new Augmentation(3, true, boundary, 0, 11);
            int[] examples = {40, 41, 42, 43, 44, 45, 46, 47};
            Batch in = numbered(examples.length, c, h, w);
            Batch out = numbered(examples.length, c, h, w);
            a.apply(out, examples, 0, 2);
            for (int k = 0; k < examples.length; k++) {
                Augmentation.Transform t = a.transform(2, examples[k]);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int sy = y - t.dy(), sx = x - t.dx();
                            float expected;
                            if (boundary == Boundary.PERIODIC) {
                                sy = Math.floorMod(sy, h);
                                sx = Math.floorMod(sx, w);
                                expected = in.get(k, ch, sy, t.flip() ? w - 1 - sx : sx);
                            } else {
                                boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                                expected = inside ? in.get(k, ch, sy, t.flip() ? w - 1 - sx : sx) : 0f;
                            }
                            assertEquals(expected, out.get(k, ch, y, x), boundary + " " + t + " at " + k + "," + ch + "," + y + "," + x);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anExampleLooksTheSameHoweverTheExamplesAreGrouped() {
        Augmentation a = new Augmentation(2, true, Boundary.PERIODIC, 0, 5);
        int n = 12;
        Batch all = numbered(n, 1, 4, 4);
        int[] examples = {3, 9, 27, 28, 31, 40, 41, 55, 60, 61, 77, 90};
        Batch whole = all.gather(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0, n);
        a.apply(whole, examples, 0, 1);
        int[] positions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        for (int[] cut : List.of(new int[] {0, 5, 12}, new int[] {0, 1, 2, 7, 12}, new int[] {0, 12})) {
            for (int p = 0; p + 1 < cut.length; p++) {
                Batch part = all.gather(positions, cut[p], cut[p + 1]);
                a.apply(part, examples, cut[p], 1);
                int size = 16;
                for (int k = 0; k < part.shape().n(); k++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole.data(), (cut[p] + k) * size, (cut[p] + k + 1) * size),
                            java.util.Arrays.copyOfRange(part.data(), k * size, (k + 1) * size), "example " + examples[cut[p] + k]);
                }
            }
        }
        Batch untouched = numbered(n, 1, 4, 4);
        Augmentation.NONE.apply(untouched, examples, 0, 1);
        assertArrayEquals(numbered(n, 1, 4, 4).data(), untouched.data(), "no augmentation leaves the images alone");
    }

    @Test
    void theAugmentedObjectiveIsThePlainObjectiveOfTheTransformedImagesWithSmoothedTargets() {
        Network net = Network.parabolic(new org.heatwave.layer.Geometry(8, 8, 1), new int[] {4, 8}, 2, 0.5, org.heatwave.act.Activation.TANH, 10);
        double[] theta = net.init(3);
        int n = 20;
        Batch images = new Batch(new Shape(n, 1, 8, 8), toFloats(org.heatwave.testkit.Fixtures.normal(n * 64, 1, 4)));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        List<Regularizer> none = List.of();
        Augmentation a = new Augmentation(2, true, Boundary.PERIODIC, 0.1, 9);
        ClassificationObjective augmented = new ClassificationObjective(net, images, labels, none, 3, a);
        int[] batch = {4, 17, 2, 9, 11};
        Batch transformed = images.gather(batch, 0, batch.length);
        a.apply(transformed, batch, 0, 6);
        int[] batchLabels = new int[batch.length];
        for (int k = 0; k < batch.length; k++) {
            batchLabels[k] = labels[batch[k]];
        }
        ClassificationObjective plain = new ClassificationObjective(net, transformed, batchLabels, none, 3,
                new Augmentation(0, false, Boundary.PERIODIC, 0.1, 9));
        Evaluation got = augmented.on(batch, 6).evaluate(theta);
        Evaluation expected = plain.on(new int[] {0, 1, 2, 3, 4}).evaluate(theta);
        assertEquals(expected.value(), got.value());
        assertArrayEquals(expected.gradient(), got.gradient());
        assertEquals(expected.value(), augmented.on(batch, 6).value(theta));
        assertNotEquals(got.value(), augmented.on(batch, 7).evaluate(theta).value(), "another pass, other transforms");
        assertEquals(new ClassificationObjective(net, images, labels, none, 3, new Augmentation(0, false, Boundary.PERIODIC, 0.1, 9))
                .on(batch).value(theta), augmented.on(batch).value(theta), "on(indices) sees the images as they are");
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, Boundary.PERIODIC, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, false, Boundary.PERIODIC, 1, 1));
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
