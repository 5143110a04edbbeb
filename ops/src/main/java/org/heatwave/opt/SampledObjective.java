package org.heatwave.opt;

/**
 * An objective that is an average over examples, {@code f(x) = (1/|S|) Σ_{i∈S} ℓ_i(x) + R(x)}, evaluated
 * on any subset {@code S} the optimiser picks — a mini-batch for SGD and Adam, a large fixed sample for
 * stochastic Gauss–Newton (sample average approximation, seeds 002 and 003), all examples for the
 * reported loss. Subsets come from a {@link Sampler}, so they are fixed by the seed.
 */
public interface SampledObjective {

    int dimension();

    /** Number of examples {@code N}. */
    int examples();

    /** The objective averaged over the examples {@code indices} (distinct, in {@code 0 … N−1}). */
    Objective on(int[] indices);

    /**
     * The objective averaged over the examples {@code indices} as seen on data pass {@code pass} (0-based): an
     * objective with data augmentation ({@link org.heatwave.augment.Augmentation}) transforms each example by
     * the draw of {@code (seed, pass, example)}, the same for every value, gradient and Gauss–Newton product of
     * the returned objective. The first-order optimisers call this with the epoch. Default: {@link #on(int[])}.
     */
    default Objective on(int[] indices, long pass) {
        return on(indices);
    }

    /** Projects {@code x} onto the admissible set in place after every step (constrained models); default none. */
    default void project(double[] x) {
    }

    /**
     * What the optimiser is about to compute, e.g. {@code "iter 12 · CG 4/10"} — the Spark objective shows it
     * as the job description; default: ignored.
     */
    default void phase(String description) {
    }

    /** A deterministic objective as a sampled one of a single "example" (reference problems). */
    static SampledObjective of(Objective f) {
        return new SampledObjective() {
            @Override
            public int dimension() {
                return f.dimension();
            }

            @Override
            public int examples() {
                return 1;
            }

            @Override
            public Objective on(int[] indices) {
                return f;
            }
        };
    }
}
