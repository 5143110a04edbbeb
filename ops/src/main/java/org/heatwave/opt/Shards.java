package org.heatwave.opt;

/**
 * The split of {@code examples} records into {@code count} shards of consecutive records: shard {@code s}
 * holds {@code [s·N/S, (s+1)·N/S)} (integer division, so sizes differ by at most one).
 *
 * <p>Shards are heatwave's unit of reproducibility (issue 14): a shard's share of any evaluation is
 * computed as one batch, so the batches the kernels see — and with them every bit of the result — depend
 * on the number of shards but never on how shards are spread over Spark partitions, executors or task
 * attempts. Mini-batches are stratified over the shards ({@link Sampler}); a partition holds whole shards.
 *
 * @param examples N ≥ 1
 * @param count    S, 1 ≤ S ≤ N
 */
public record Shards(int examples, int count) implements java.io.Serializable {
    public Shards {
        if (examples < 1) {
            throw new IllegalArgumentException("shards need at least one example, got " + examples);
        }
        if (count < 1 || count > examples) {
            throw new IllegalArgumentException(count + " shards of " + examples + " examples: need 1.." + examples);
        }
    }

    /** Everything in one shard. */
    public static Shards one(int examples) {
        return new Shards(examples, 1);
    }

    /** First record of shard {@code s} ({@code s = S} gives N). */
    public int from(int s) {
        return (int) ((long) s * examples / count);
    }

    /** One past the last record of shard {@code s}. */
    public int to(int s) {
        return from(s + 1);
    }

    public int size(int s) {
        return to(s) - from(s);
    }

    /** The shard holding record {@code i}. */
    public int of(int i) {
        if (i < 0 || i >= examples) {
            throw new IndexOutOfBoundsException("record " + i + " of " + examples);
        }
        int s = (int) (((long) i * count) / examples);
        while (from(s) > i) {
            s--;
        }
        while (to(s) <= i) {
            s++;
        }
        return s;
    }

    /**
     * Shards {@code [firstOf(p), firstOf(p+1))} of {@code partitions} groups of consecutive shards, group
     * {@code p} starting at shard {@code p·S/P}.
     */
    public int firstOfGroup(int p, int partitions) {
        if (partitions < 1 || partitions > count) {
            throw new IllegalArgumentException(partitions + " partitions of " + count + " shards: need 1.." + count);
        }
        return (int) ((long) p * count / partitions);
    }
}
