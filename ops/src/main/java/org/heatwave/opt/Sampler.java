package org.heatwave.opt;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each evaluation uses, a pure function of the seed — independent of the partitioning, the
 * number of executors and task scheduling:
 * <ul>
 *   <li>mini-batches: epoch {@code e} visits the {@code n} examples in a random order drawn from
 *       {@code (seed, e)} alone, in consecutive batches of {@code batchSize} (a last partial batch is
 *       dropped);</li>
 *   <li>sample average approximation (seeds 002, 003): outer iteration {@code k}'s sample is {@code m}
 *       distinct examples drawn from {@code (seed, k)} alone, on a stream separate from the epochs'.</li>
 * </ul>
 */
public final class Sampler {
    private final long seed;
    private final int n;
    private final int batchSize;

    public Sampler(long seed, int n, int batchSize) {
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

    /** Number of examples sampled from. */
    public int examples() {
        return n;
    }

    /** The visiting order of epoch {@code epoch} (0-based): a permutation of {@code 0 … n−1}. */
    public int[] order(int epoch) {
        return shuffled(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch), n);
    }

    /**
     * The sample of outer iteration {@code k} (0-based): {@code m ≤ n} distinct examples, ascending
     * (all of them when {@code m = n}).
     */
    public int[] sample(long k, int m) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("sample size " + m + " is not within 1.." + n + " examples");
        }
        SplittableRandom r = new SplittableRandom((seed * 0x9E3779B97F4A7C15L) ^ (0x5AA5_0000_0000L + k * 0xBF58476D1CE4E5B9L));
        int[] chosen = Arrays.copyOf(shuffled(r, n), m);
        Arrays.sort(chosen);
        return chosen;
    }

    /** A uniformly random permutation of {@code 0 … n−1} (Fisher–Yates). */
    private static int[] shuffled(SplittableRandom r, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
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
