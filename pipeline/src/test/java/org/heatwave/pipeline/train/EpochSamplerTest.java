package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    @Test
    void eachEpochIsAPermutationFixedByTheSeed() {
        EpochSampler a = new EpochSampler(7, 100, 32), b = new EpochSampler(7, 100, 32);
        int[] o = a.order(2);
        assertArrayEquals(o, b.order(2));
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(o, a.order(3)), "epochs differ");
        assertFalse(Arrays.equals(o, new EpochSampler(8, 100, 32).order(2)), "seeds differ");
        assertEquals(3, a.stepsPerEpoch());
        assertArrayEquals(Arrays.copyOfRange(o, 32, 64), a.batch(o, 1));
    }

    @Test
    void cosineScheduleWithWarmup() {
        LearningRate lr = new LearningRate(0.1, "cosine", 10, 110);
        assertEquals(0.01, lr.at(0), 1e-12);
        assertEquals(0.1, lr.at(9), 1e-12);
        assertEquals(0.1, lr.at(10), 1e-12);
        assertEquals(0.05, lr.at(60), 1e-12);
        assertEquals(0.0, lr.at(110), 1e-12);
        assertEquals(0.1, new LearningRate(0.1, "constant", 0, 10).at(7), 1e-12);
    }
}
