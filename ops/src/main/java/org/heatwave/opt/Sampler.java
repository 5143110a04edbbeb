package org.heatwave.opt;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each evaluation uses, a pure function of the seed and the {@link Shards} — independent of
 * the partitioning, the number of executors and task scheduling:
 * <ul>
 *   <li>mini-batches, stratified over the shards: epoch {@code e} shuffles each shard's examples on its
 *       own (one generator seeded by {@code (seed, e)}, drawn shard after shard), and step {@code t} takes
 *       the next {@code B/S} examples of every shard — so each shard contributes the same number of
 *       examples to every step, and each step's share of a shard is one micro-batch. Examples left over
 *       when the shards run out of whole micro-batches are skipped in that epoch. With one shard this is
 *       plain shuffling in consecutive batches of {@code B} (a last partial batch dropped);</li>
 *   <li>sample average approximation (seeds 002, 003): outer iteration {@code k}'s sample is {@code m}
 *       distinct examples drawn from {@code (seed, k)} alone, on a stream separate from the epochs'.</li>
 * </ul>
 */
public final class Sampler {
    private final long seed;
    private final int n;
    private final int batchSize;
    private final Shards shards;
    /** Examples per shard per step: B/S. */
    private final int perShard;
    private final int steps;

    /** Mini-batches of {@code batchSize} from {@code n} examples in one shard. */
    public Sampler(long seed, int n, int batchSize) {
        this(seed, Shards.one(n), batchSize);
    }

    /** Mini-batches of {@code batchSize}, a multiple of the number of shards, stratified over {@code shards}. */
    public Sampler(long seed, Shards shards, int batchSize) {
        int n = shards.examples();
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not within 1.." + n + " training examples");
        }
        if (batchSize % shards.count() != 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not a multiple of the " + shards.count()
                    + " shards (every step takes the same number of examples from each shard)");
        }
        this.seed = seed;
        this.n = n;
        this.batchSize = batchSize;
        this.shards = shards;
        this.perShard = batchSize / shards.count();
        int s = Integer.MAX_VALUE;
        for (int k = 0; k < shards.count(); k++) {
            s = Math.min(s, shards.size(k) / perShard);
        }
        this.steps = s;
    }

    /** Steps per epoch: as many as the smallest shard has whole micro-batches. */
    public int stepsPerEpoch() {
        return steps;
    }

    public Shards shards() {
        return shards;
    }

    /** Number of examples sampled from. */
    public int examples() {
        return n;
    }

    /**
     * The visiting order of epoch {@code epoch} (0-based): a permutation of {@code 0 … n−1} whose first
     * {@code stepsPerEpoch · B} entries are the steps' batches in turn, each batch shard by shard in blocks of
     * {@code B/S}; the examples skipped in this epoch follow.
     */
    public int[] order(int epoch) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int count = shards.count();
        if (count == 1) {
            return shuffled(r, n);
        }
        int[][] each = new int[count][];
        for (int s = 0; s < count; s++) {
            each[s] = shuffled(r, shards.size(s));
        }
        int[] order = new int[n];
        int k = 0;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < count; s++) {
                for (int j = t * perShard; j < (t + 1) * perShard; j++) {
                    order[k++] = shards.from(s) + each[s][j];
                }
            }
        }
        for (int s = 0; s < count; s++) {
            for (int j = steps * perShard; j < each[s].length; j++) {
                order[k++] = shards.from(s) + each[s][j];
            }
        }
        return order;
    }

    /**
     * The sample of outer iteration {@code k} (0-based): {@code m ≤ n} distinct examples, ascending
     * (all of them when {@code m = n}).
     */
    public int[] sample(long k, int m) {
        return subsample(k, m, m);
    }

    /**
     * {@code mH ≤ m} examples of {@link #sample sample(k, m)}, ascending: the first {@code mH} of the same draw, so a
     * uniformly random subset of that sample, fixed by the seed (subsampled curvature: the Gauss–Newton products over
     * it, the gradient over the sample).
     */
    public int[] subsample(long k, int m, int mH) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("sample size " + m + " is not within 1.." + n + " examples");
        }
        if (mH < 1 || mH > m) {
            throw new IllegalArgumentException("subsample size " + mH + " is not within 1.." + m + " examples of the sample");
        }
        SplittableRandom r = new SplittableRandom((seed * 0x9E3779B97F4A7C15L) ^ (0x5AA5_0000_0000L + k * 0xBF58476D1CE4E5B9L));
        int[] chosen = Arrays.copyOf(shuffled(r, n), mH);
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
