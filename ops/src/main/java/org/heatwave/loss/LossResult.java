package org.heatwave.loss;

/**
 * Summed loss, number of correct predictions and number of examples of some data: a commutative monoid
 * under {@link #plus}, so partial results from any split of the data combine to the same total.
 */
public record LossResult(double loss, long correct, long count) implements java.io.Serializable {

    /** The neutral element. */
    public static final LossResult ZERO = new LossResult(0, 0, 0);

    public LossResult plus(LossResult o) {
        return new LossResult(loss + o.loss, correct + o.correct, count + o.count);
    }

    /** Mean loss per example (NaN for no examples). */
    public double meanLoss() {
        return count == 0 ? Double.NaN : loss / count;
    }

    /** Fraction of correct predictions (NaN for no examples). */
    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }
}
