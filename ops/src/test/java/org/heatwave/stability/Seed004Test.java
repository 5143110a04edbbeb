package org.heatwave.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's report, asserted: with identical layers K+ separates the features, K− collapses them, K0
 * preserves their distances, the antisymmetric versions of K+ and K− are stable, and the Verlet network
 * neither explodes nor vanishes even after 1000 layers.
 */
class Seed004Test {

    @Test
    void eulerLayersSeparateCollapseOrPreserveAsTheSeedReports() {
        List<Seed004.Run> runs = Seed004.euler();
        assertEquals(List.of("K+", "K-", "K0", "antisymmetric K+", "antisymmetric K-"),
                runs.stream().map(Seed004.Run::name).toList());
        double[] start = runs.get(0).distances(0);
        // K+: every pair at least 3x further apart (y1, y2: 14x); y1 and y2 run off in opposite directions
        double[] plus = runs.get(0).distances(Seed004.LAYERS);
        for (int p = 0; p < 3; p++) {
            assertTrue(plus[p] > 3 * start[p], "K+ pair " + p + ": " + Arrays.toString(plus));
        }
        double[][] y = runs.get(0).last();
        assertTrue(y[0][0] * y[1][0] + y[0][1] * y[1][1] < 0, "y1, y2 diverge in opposite directions");
        // K−: every pair at most a fifth as far apart
        double[] minus = runs.get(1).distances(Seed004.LAYERS);
        for (int p = 0; p < 3; p++) {
            assertTrue(minus[p] < 0.2 * start[p], "K- pair " + p + ": " + Arrays.toString(minus));
        }
        // K0 and the antisymmetric versions: distances kept within 25 %
        for (int r = 2; r < 5; r++) {
            double[] d = runs.get(r).distances(Seed004.LAYERS);
            for (int p = 0; p < 3; p++) {
                double ratio = d[p] / start[p];
                assertTrue(ratio > 0.8 && ratio < 1.25, runs.get(r).name() + " pair " + p + ": ratio " + ratio);
            }
        }
    }

    @Test
    void verletLayersNeitherExplodeNorVanish() {
        List<Seed004.Run> runs = Seed004.verlet();
        assertEquals(Seed004.VERLET_LAYERS.length, runs.size());
        for (Seed004.Run run : runs) {
            assertTrue(run.maxNorm() < 10, run.name() + ": max norm " + run.maxNorm());
            assertTrue(run.minNorm() > 0.01, run.name() + ": min norm " + run.minNorm());
            assertEquals(layers(run) + 1, run.trajectory().length, run.name() + ": states 0 … N");
        }
    }

    private static int layers(Seed004.Run run) {
        return Integer.parseInt(run.name().substring(run.name().indexOf('=') + 1));
    }
}
