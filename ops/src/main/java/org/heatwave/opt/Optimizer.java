package org.heatwave.opt;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Minimises a {@link SampledObjective} from a starting point, reporting every iteration. Optimisers
 * differ in which examples each iteration uses (mini-batches, a large fixed sample, all) and how they
 * step; they share this loop contract, the {@link Budget} and the bookkeeping of data passes — examples
 * processed (each value, gradient or Gauss–Newton product over {@code m} examples counts {@code m}) over
 * the number of examples.
 */
public interface Optimizer {

    /** The configuration name, e.g. {@code "sgn"}. */
    String name();

    /** Minimises from {@code x} (updated in place) until the budget is spent or the listener stops it. */
    default Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener) {
        return minimize(f, x, budget, listener, null);
    }

    /**
     * Minimises from {@code x} (updated in place), continuing from {@code resume} — a state this optimiser
     * reported with {@code x} after some iteration — or from the start if null. Continuing gives the same
     * iterates, bit for bit, as never having stopped: the budget counts the iterations and data already spent.
     *
     * @throws IllegalArgumentException if {@code resume} is another optimiser's or for another dimension
     */
    Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener, OptimizerState resume);

    /**
     * When to stop: after {@code iterations} iterations or once {@code dataPasses} passes over the data are
     * spent (0: no limit), whichever comes first.
     */
    record Budget(long iterations, double dataPasses) {
        public Budget {
            if (iterations < 1) {
                throw new IllegalArgumentException("an optimiser budget needs at least 1 iteration, got " + iterations);
            }
            if (!(dataPasses >= 0)) {
                throw new IllegalArgumentException("data passes must be >= 0 (0: no limit), got " + dataPasses);
            }
        }

        public static Budget iterations(long n) {
            return new Budget(n, 0);
        }

        boolean spent(long iteration, double passes) {
            return iteration >= iterations || (dataPasses > 0 && passes >= dataPasses);
        }
    }

    /**
     * One iteration's report.
     *
     * @param number          1-based
     * @param loss            the objective on the iteration's examples at the point the iteration started from
     * @param gradientNorm    {@code ‖∇f‖} there
     * @param stepLength      {@code ‖x⁺ − x‖}
     * @param cgIterations    Gauss–Newton products of the inner solve (0 for first-order methods)
     * @param cgResidual      relative residual of the inner solve (NaN if none)
     * @param lineSearchEvaluations objective evaluations of the line search (0 if none)
     * @param dataPasses      examples processed so far over the number of examples
     * @param diagnostics     the evaluation's named numbers (accuracy, inner-solve iterations, …) and the
     *                        optimiser's own (damping, trust-region radius, sample size)
     */
    record Iteration(long number, double loss, double gradientNorm, double stepLength, int cgIterations, double cgResidual,
                     int lineSearchEvaluations, double dataPasses, Map<String, Double> diagnostics) {
    }

    /** Receives every iteration. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param x the point after the iteration (the listener may update entries that are not optimised,
         *          e.g. batch-normalisation running statistics)
         * @return false to stop
         */
        boolean iteration(Iteration iteration, double[] x);

        /**
         * As {@link #iteration(Iteration, double[])}, with the optimiser's state after the iteration on demand
         * (a checkpoint takes it with {@code x} — after the listener's own updates of {@code x}).
         */
        default boolean iteration(Iteration iteration, double[] x, Supplier<OptimizerState> state) {
            return iteration(iteration, x);
        }

        Listener NONE = (it, x) -> true;
    }

    /** How it ended: iterations run, data passes spent, and why it stopped. */
    record Result(long iterations, double dataPasses, String stop) {
    }
}
