package org.heatwave.pipeline.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each step uses: epoch {@code e} visits the {@code n} training examples in a random
 * order drawn from {@code (seed, e)} alone, in consecutive batches of {@code batchSize} (a last partial
 * batch is dropped). Independent of the partitioning, the number of executors and task scheduling.
 */
public final class EpochSampler {
    private final long seed;
    private final int n;
    private final int batchSize;

    public EpochSampler(long seed, int n, int batchSize) {
        if (batchSize > n) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + n + " training examples");
        }
        this.seed = seed;
        this.n = n;
        this.batchSize = batchSize;
    }

    /** Steps per epoch. */
    public int stepsPerEpoch() {
        return n / batchSize;
    }

    /** The visiting order of epoch {@code epoch} (0-based): a permutation of {@code 0 … n−1}. */
    public int[] order(int epoch) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** The example indices of step {@code step} of an epoch with visiting order {@code order}. */
    public int[] batch(int[] order, int step) {
        return Arrays.copyOfRange(order, step * batchSize, (step + 1) * batchSize);
    }
}
