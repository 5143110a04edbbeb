package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import org.heatwave.loss.LossResult;

/**
 * The monoid of the distributed loss: summed loss, correct count, example count and summed gradient
 * ({@code merge} is associative and commutative up to float64 rounding, with the empty aggregator as
 * neutral element). The gradient array is allocated on first use, so empty aggregators travel for free.
 */
public final class GradientAggregator implements Serializable {
    private double[] gradient;
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
        loss = loss.plus(other.loss);
        return this;
    }

    public LossResult loss() {
        return loss;
    }

    /** The summed gradient, or null if nothing was added. */
    public double[] gradient() {
        return gradient;
    }
}
