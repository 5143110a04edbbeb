package org.heatwave.opt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void eachEpochIsAPermutationFixedByTheSeed() {
        Sampler a = new Sampler(7, 100, 32), b = new Sampler(7, 100, 32);
        int[] o = a.order(2);
        assertArrayEquals(o, b.order(2));
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(o, a.order(3)), "epochs differ");
        assertFalse(Arrays.equals(o, new Sampler(8, 100, 32).order(2)), "seeds differ");
        assertEquals(3, a.stepsPerEpoch());
        assertArrayEquals(Arrays.copyOfRange(o, 32, 64), a.batch(o, 1));
    }

    @Test
    void stratifiedBatchesTakeTheSameShareOfEveryShardEachStep() {
        Shards shards = new Shards(103, 4); // shards of 25, 26, 26, 26
        Sampler a = new Sampler(7, shards, 8);
        assertEquals(12, a.stepsPerEpoch(), "25 examples make 12 whole micro-batches of 2");
        int[] o = a.order(1);
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 103; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
        for (int t = 0; t < a.stepsPerEpoch(); t++) {
            int[] batch = a.batch(o, t);
            for (int k = 0; k < batch.length; k++) {
                assertEquals(k / 2, shards.of(batch[k]), "step " + t + " position " + k);
            }
        }
        assertArrayEquals(o, new Sampler(7, shards, 8).order(1));
        assertFalse(Arrays.equals(o, a.order(2)), "epochs differ");
        assertArrayEquals(new Sampler(7, 100, 32).order(3), new Sampler(7, Shards.one(100), 32).order(3),
                "one shard is plain shuffling");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Sampler(7, shards, 6));
    }

    @Test
    void shardsSplitRecordsIntoNearlyEqualRanges() {
        Shards s = new Shards(10, 3);
        assertEquals(List.of(0, 3, 6, 10), List.of(s.from(0), s.from(1), s.from(2), s.from(3)));
        for (int i = 0; i < 10; i++) {
            assertEquals(i < 3 ? 0 : i < 6 ? 1 : 2, s.of(i));
        }
        assertEquals(1, new Shards(12, 4).firstOfGroup(1, 3), "3 partitions of 4 shards: [0,1) [1,2) [2,4)");
        assertEquals(2, new Shards(12, 4).firstOfGroup(2, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Shards(3, 4));
    }

    @Test
    void saaSamplesAreDistinctSortedAndFixedByTheSeedAndIteration() {
        Sampler a = new Sampler(7, 1000, 32);
        int[] s = a.sample(4, 300);
        assertArrayEquals(s, new Sampler(7, 1000, 64).sample(4, 300), "the batch size plays no part");
        assertEquals(300, Arrays.stream(s).distinct().count());
        for (int i = 1; i < s.length; i++) {
            assertEquals(true, s[i - 1] < s[i]);
        }
        assertFalse(Arrays.equals(s, a.sample(5, 300)), "iterations differ");
        assertFalse(Arrays.equals(s, new Sampler(8, 1000, 32).sample(4, 300)), "seeds differ");
        assertEquals(1000, a.sample(0, 1000).length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> a.sample(0, 1001));
    }

    @Test
    void curvatureSubsamplesAreRandomSubsetsOfTheirSample() {
        Sampler s = new Sampler(11, 1000, 10);
        int[] sample = s.sample(4, 300);
        int[] sub = s.subsample(4, 300, 40);
        assertEquals(40, sub.length);
        assertArrayEquals(sub, s.subsample(4, 300, 40), "fixed by the seed and the iteration");
        assertArrayEquals(sample, s.subsample(4, 300, 300), "the whole sample");
        for (int i = 0; i < sub.length; i++) {
            assertTrue(Arrays.binarySearch(sample, sub[i]) >= 0, sub[i] + " is not in the sample");
            assertTrue(i == 0 || sub[i] > sub[i - 1], "ascending and distinct");
        }
        // not the sample's first 40 (a biased prefix of the ascending sample) but spread over it
        assertTrue(sub[sub.length - 1] > sample[100], Arrays.toString(sub));
        assertFalse(Arrays.equals(sub, s.subsample(5, 300, 40)), "iterations differ");
        assertThrows(IllegalArgumentException.class, () -> s.subsample(4, 300, 301));
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
