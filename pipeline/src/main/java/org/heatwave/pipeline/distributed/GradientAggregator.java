package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import org.heatwave.loss.LossResult;

/**
 * The monoid of the distributed loss: summed loss, correct count, example count, summed gradient and
 * summed batch statistics ({@code merge} is associative and commutative up to float64 rounding, with the
 * empty aggregator as neutral element). The arrays are allocated on first use, so empty aggregators
 * travel for free.
 */
public final class GradientAggregator implements Serializable {
    private double[] gradient;
    private double[] statistics;
    private LossResult loss = LossResult.ZERO;

    /** The neutral element. */
    public static GradientAggregator empty() {
        return new GradientAggregator();
    }

    /** The gradient accumulator to add into, for {@code params} parameters. */
    public double[] gradientFor(int params) {
        if (gradient == null) {
            gradient = new double[params];
        } else if (gradient.length != params) {
            throw new IllegalArgumentException("aggregator holds " + gradient.length + " parameters, asked for " + params);
        }
        return gradient;
    }

    /**
     * The batch-statistics accumulator ({@link org.heatwave.net.Network#statisticsCount}) to add into, or
     * null when the network reports none.
     */
    public double[] statisticsFor(int count) {
        if (count == 0) {
            return null;
        }
        if (statistics == null) {
            statistics = new double[count];
        } else if (statistics.length != count) {
            throw new IllegalArgumentException("aggregator holds " + statistics.length + " statistics, asked for " + count);
        }
        return statistics;
    }

    /** Adds the summed loss of a batch whose gradient was accumulated into {@link #gradientFor}. */
    public GradientAggregator addLoss(LossResult r) {
        loss = loss.plus(r);
        return this;
    }

    /** {@code this ⊕ other}; returns this. */
    public GradientAggregator merge(GradientAggregator other) {
        if (other.gradient != null) {
            double[] g = gradientFor(other.gradient.length);
            for (int i = 0; i < g.length; i++) {
                g[i] += other.gradient[i];
            }
        }
        if (other.statistics != null) {
            double[] s = statisticsFor(other.statistics.length);
            for (int i = 0; i < s.length; i++) {
                s[i] += other.statistics[i];
            }
        }
        loss = loss.plus(other.loss);
        return this;
    }

    public LossResult loss() {
        return loss;
    }

    /** The summed batch statistics, or null if none were added. */
    public double[] statistics() {
        return statistics;
    }

    /** The summed gradient, or null if nothing was added. */
    public double[] gradient() {
        return gradient;
    }
}
