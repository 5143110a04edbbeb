package org.heatwave.multilevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Image restriction and prolongation: the seed's matrices, constants preserved, exact adjoint pairs. */
class GridTransferTest {

    @Test
    void seedsOneDimensionalMatrices() {
        // seed 000: n_c = 3, n_f = 6; columns of P and R applied to unit vectors
        assertArrayEquals(new double[] {1, 0.75, 0.25, 0, 0, 0}, GridTransfer.interpolate(new double[] {1, 0, 0}), 0.0);
        assertArrayEquals(new double[] {0, 0.25, 0.75, 0.75, 0.25, 0}, GridTransfer.interpolate(new double[] {0, 1, 0}), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 0.25, 0.75, 1}, GridTransfer.interpolate(new double[] {0, 0, 1}), 0.0);
        assertArrayEquals(new double[] {0.5, 0, 0}, GridTransfer.average(new double[] {1, 0, 0, 0, 0, 0}), 0.0);
    }

    @Test
    void bothPreserveConstants() {
        double[] ones = new double[6 * 8];
        java.util.Arrays.fill(ones, 2.5);
        for (double v : GridTransfer.average(ones, 6, 8)) {
            assertEquals(2.5, v, 0.0);
        }
        for (double v : GridTransfer.interpolate(ones, 6, 8)) {
            assertEquals(2.5, v, 1e-15);
        }
        for (double v : GridTransfer.interpolateAdjoint(ones, 6, 8)) {
            assertEquals(4 * 2.5, v, 1e-14, "Pᵀ = 4 × full weighting");
        }
    }

    @Test
    void adjointPairsAreExact() {
        SplittableRandom r = new SplittableRandom(1);
        int h = 6;
        int w = 10;
        double[] fine = random(r, h * w);
        double[] coarse = random(r, h / 2 * w / 2);
        // ⟨R f, c⟩ = ⟨f, Rᵀ c⟩ and ⟨P c, f⟩ = ⟨c, Pᵀ f⟩
        assertEquals(dot(GridTransfer.average(fine, h, w), coarse), dot(fine, GridTransfer.averageAdjoint(coarse, h / 2, w / 2)), 1e-13);
        assertEquals(dot(GridTransfer.interpolate(coarse, h / 2, w / 2), fine), dot(coarse, GridTransfer.interpolateAdjoint(fine, h, w)), 1e-13);
    }

    @Test
    void batchesTransferEveryPlaneAndRefuseOddSizes() {
        SplittableRandom r = new SplittableRandom(2);
        float[] data = new float[2 * 3 * 4 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble();
        }
        Batch b = new Batch(new Shape(2, 3, 4, 6), data);
        Batch c = GridTransfer.average(b);
        assertEquals(new Shape(2, 3, 2, 3), c.shape());
        assertEquals((b.get(1, 2, 2, 4) + b.get(1, 2, 2, 5) + b.get(1, 2, 3, 4) + b.get(1, 2, 3, 5)) / 4, c.get(1, 2, 1, 2), 1e-6);
        Batch f = GridTransfer.interpolate(c);
        assertEquals(new Shape(2, 3, 4, 6), f.shape());
        assertEquals(new Shape(2, 3, 4, 6), GridTransfer.averageAdjoint(c).shape());
        assertEquals(new Shape(2, 3, 2, 3), GridTransfer.interpolateAdjoint(f).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GridTransfer.average(new Batch(new Shape(1, 1, 7, 8), new float[56])));
        assertTrue(e.getMessage().contains("7x8"), e.getMessage());
    }

    private static double[] random(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble() - 0.5;
        }
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
