package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import org.heatwave.linalg.ExactSums;
import org.heatwave.loss.LossResult;

/**
 * The monoid of every distributed sum (loss and gradient, loss alone, Gauss–Newton products, the classifier
 * sums of variable projection): summed loss, correct count, example count, a summed vector (gradient or
 * product) and summed batch statistics.
 *
 * <p>Each micro-batch's results are {@link #add added} once and from then on held as exact fixed-point sums
 * ({@link ExactSums}), so {@code merge} is associative and commutative <em>bit for bit</em>, with the empty
 * aggregator as neutral element: partial sums may be combined in any tree, in any order, on any executor,
 * and a retried task's partial result is the same — the result depends only on which micro-batches were
 * added. The sums are allocated on first use, so empty aggregators travel for free, and a task that added a
 * single micro-batch sends its values as they are (8 bytes each instead of the exact sums' 16): adding that one
 * term to exact sums is a pure function of it, so it is summed where it is merged, with the same bits.
 */
public final class GradientAggregator implements Serializable {
    private static final long serialVersionUID = 3L;
    /** {@code [loss | vector | statistics]}, exact, once more than one micro-batch is in. */
    private ExactSums sums;
    /** The only micro-batch's {@code [loss | vector | statistics]} while it is the only one (then {@code sums} is null). */
    private double[] single;
    private int vectorLength = -1;
    private int statisticsLength = -1;
    private long correct;
    private long count;
    /** The slowest task's nanoseconds fetching broadcasts, computing, and adding to the exact sums (timing only). */
    private long fetchNanos;
    private long computeNanos;
    private long sumNanos;

    /** The neutral element. */
    public static GradientAggregator empty() {
        return new GradientAggregator();
    }

    /**
     * Adds one micro-batch's results: its summed loss and correct count, and its summed vector and batch
     * statistics if not null (read, not kept). Every addition to one aggregator must carry the same kinds and
     * lengths.
     */
    public GradientAggregator add(LossResult loss, double[] vectorOrNull, double[] statisticsOrNull) {
        int v = vectorOrNull == null ? 0 : vectorOrNull.length, s = statisticsOrNull == null ? 0 : statisticsOrNull.length;
        boolean first = vectorLength < 0;
        layout(v, s);
        if (first) {
            // kept as it is (a copy: the caller reuses its arrays) until a second term or a merge needs exact sums
            single = new double[1 + v + s];
            single[0] = loss.loss();
            if (v > 0) {
                System.arraycopy(vectorOrNull, 0, single, 1, v);
            }
            if (s > 0) {
                System.arraycopy(statisticsOrNull, 0, single, 1 + v, s);
            }
        } else {
            ExactSums sums = exact();
            sums.add(0, loss.loss());
            if (v > 0) {
                sums.add(vectorOrNull, 0, 1, v);
            }
            if (s > 0) {
                sums.add(statisticsOrNull, 0, 1 + v, s);
            }
        }
        correct += loss.correct();
        count += loss.count();
        return this;
    }

    /** {@code this ⊕ other}; returns this, leaves {@code other} unchanged. */
    public GradientAggregator merge(GradientAggregator other) {
        if (other.vectorLength >= 0) {
            boolean first = vectorLength < 0;
            layout(other.vectorLength, other.statisticsLength);
            if (first && other.single != null) {
                single = other.single; // never written to: shared, not copied
            } else if (other.single != null) {
                exact().add(other.single, 0, 0, other.single.length);
            } else {
                exact().merge(other.sums);
            }
        }
        correct += other.correct;
        count += other.count;
        fetchNanos = Math.max(fetchNanos, other.fetchNanos);
        computeNanos = Math.max(computeNanos, other.computeNanos);
        sumNanos = Math.max(sumNanos, other.sumNanos);
        return this;
    }

    /**
     * Records one task's time spent fetching broadcasts, computing and summing (a task's aggregator before any
     * merge); merging keeps the largest of each — the critical path of tasks that run in parallel.
     */
    public GradientAggregator timed(long fetchNanos, long computeNanos, long sumNanos) {
        this.fetchNanos = fetchNanos;
        this.computeNanos = computeNanos;
        this.sumNanos = sumNanos;
        return this;
    }

    /** The slowest task's seconds fetching broadcasts, computing and summing: {@code [fetch, compute, sum]}. */
    public double[] taskSeconds() {
        return new double[] {fetchNanos / 1e9, computeNanos / 1e9, sumNanos / 1e9};
    }

    /** The exact sums, made on first need from the single term held so far. */
    private ExactSums exact() {
        if (sums == null) {
            sums = new ExactSums(1 + vectorLength + statisticsLength);
            if (single != null) {
                sums.add(single, 0, 0, single.length);
                single = null;
            }
        }
        return sums;
    }

    private void layout(int vector, int statistics) {
        if (vectorLength < 0) {
            vectorLength = vector;
            statisticsLength = statistics;
        } else if (vector != vectorLength || statistics != statisticsLength) {
            throw new IllegalArgumentException("aggregator holds a vector of " + vectorLength + " and " + statisticsLength
                    + " statistics, asked to add " + vector + " and " + statistics);
        }
    }

    /** The summed loss (NaN if any term was not finite), correct count and example count. */
    public LossResult loss() {
        return new LossResult(vectorLength < 0 ? 0 : exact().get(0), correct, count);
    }

    /** The summed vector (gradient, product), or null if none was added; NaN everywhere if any term was not finite. */
    public double[] gradient() {
        return vectorLength <= 0 ? null : exact().toDoubles(1, vectorLength);
    }

    /** The summed batch statistics, or null if none were added. */
    public double[] statistics() {
        return statisticsLength <= 0 ? null : exact().toDoubles(1 + vectorLength, statisticsLength);
    }
}
