package org.heatwave.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contract of {@link ExactSums}: any grouping and order gives the same bits, accurate to its resolution. */
class ExactSumsTest {
    /** Absolute resolution of one rounded term. */
    private static final double RESOLUTION = 0x1p-72;

    /** Terms spanning 12 orders of magnitude and both signs, the kind that cancel badly in float64. */
    private static double[][] terms(int count, int length, long seed) {
        Random r = new Random(seed);
        double[][] t = new double[count][length];
        for (double[] v : t) {
            for (int i = 0; i < length; i++) {
                v[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, -9 + 12 * r.nextDouble()) * r.nextDouble();
            }
        }
        return t;
    }

    @Test
    void anyGroupingAndOrderGivesTheSameBits() {
        double[][] t = terms(200, 7, 1);
        ExactSums inOrder = new ExactSums(7);
        for (double[] v : t) {
            inOrder.add(v);
        }
        List<double[]> shuffled = new ArrayList<>(List.of(t));
        Collections.shuffle(shuffled, new Random(2));
        // groups of uneven sizes, merged as an unbalanced tree, right to left
        List<ExactSums> groups = new ArrayList<>();
        for (int from = 0, size = 1; from < shuffled.size(); from += size, size = size % 13 + 3) {
            ExactSums g = new ExactSums(7);
            for (double[] v : shuffled.subList(from, Math.min(shuffled.size(), from + size))) {
                g.add(v);
            }
            groups.add(g);
        }
        ExactSums tree = new ExactSums(7);
        for (int i = groups.size() - 1; i >= 0; i--) {
            tree = groups.get(i).merge(tree);
        }
        assertTrue(inOrder.sameSums(tree));
        for (int i = 0; i < 7; i++) {
            assertEquals(Double.doubleToRawLongBits(inOrder.get(i)), Double.doubleToRawLongBits(tree.get(i)), "sum " + i);
        }
        // while plain float64 summation does depend on the order for these terms
        double plainInOrder = 0, plainShuffled = 0;
        for (int k = 0; k < t.length; k++) {
            plainInOrder += t[k][0];
            plainShuffled += shuffled.get(k)[0];
        }
        assertFalse(plainInOrder == plainShuffled, "the terms should be ill-conditioned enough to show the problem");
    }

    @Test
    void sumsAreAccurateToTheResolutionPerTerm() {
        double[][] t = terms(3000, 3, 3);
        ExactSums s = new ExactSums(3);
        for (double[] v : t) {
            s.add(v); // 3000 additions: the low words are carried along the way
        }
        for (int i = 0; i < 3; i++) {
            BigDecimal exact = BigDecimal.ZERO;
            for (double[] v : t) {
                exact = exact.add(new BigDecimal(v[i]));
            }
            double err = Math.abs(exact.subtract(new BigDecimal(s.get(i))).doubleValue());
            assertTrue(err <= t.length * RESOLUTION + Math.ulp(exact.doubleValue()), "sum " + i + " off by " + err);
        }
    }

    @Test
    void offsetsScalarsAndSubranges() {
        ExactSums s = new ExactSums(4);
        s.add(new double[] {9, 1.5, -2.25, 9}, 1, 1, 2);
        s.add(3, 0.125);
        s.add(0, -1e-20);
        assertEquals(-1e-20, s.get(0), 1e-21 * 0.01 + RESOLUTION);
        assertEquals(1.5, s.get(1));
        assertEquals(-2.25, s.get(2));
        assertEquals(0.125, s.get(3));
        assertEquals(List.of(1.5, -2.25), List.of(s.toDoubles(1, 2)[0], s.toDoubles(1, 2)[1]));
    }

    @Test
    void nonFiniteTermsAndOverflowMakeEverySumNaN() {
        ExactSums nan = new ExactSums(2);
        nan.add(new double[] {1, Double.NaN});
        assertFalse(nan.finite());
        assertTrue(Double.isNaN(nan.get(0)));
        ExactSums inf = new ExactSums(1);
        inf.add(0, Double.NEGATIVE_INFINITY);
        assertFalse(inf.finite());
        ExactSums big = new ExactSums(1);
        big.add(0, ExactSums.LIMIT / 2);
        assertTrue(big.finite());
        big.merge(copyOf(big));
        assertFalse(big.finite(), "a merged sum that may leave the range is NaN, never wrapped around");
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        ExactSums s = new ExactSums(5);
        for (double[] v : terms(10, 5, 4)) {
            s.add(v);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertTrue(s.sameSums((ExactSums) in.readObject()));
        }
    }

    private static ExactSums copyOf(ExactSums s) {
        return new ExactSums(s.length()).merge(s);
    }
}
