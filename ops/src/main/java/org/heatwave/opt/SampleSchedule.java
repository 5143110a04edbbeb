package org.heatwave.opt;

/**
 * Sample average approximation (seeds 002, 003): the objective is the average over a sample of {@code m}
 * examples, drawn afresh every {@code k} iterations ({@link Sampler#sample}, fixed by the seed) and fixed
 * in between, so that a few iterations of a deterministic method (Gauss–Newton, L-BFGS) make progress on
 * one well-defined problem. {@code m = N} is the full-data objective.
 *
 * <p>Subsampled curvature (Byrd, Chin, Neveitt and Nocedal, "On the use of stochastic Hessian information in
 * optimization methods for machine learning", 2011): with {@code curvature = m_H < m}, Gauss–Newton products run over
 * {@code m_H} examples of each sample ({@link Sampler#subsample}) while the gradient runs over all {@code m} — a
 * large sample for the direction's right-hand side, a cheap operator for its CG iterations.
 *
 * @param size      m
 * @param interval  k, iterations per sample
 * @param curvature m_H, examples of each sample that Gauss–Newton products use (0, or m_H ≥ m: all m)
 */
public record SampleSchedule(Sampler sampler, int size, int interval, int curvature) {
    public SampleSchedule {
        if (size < 1 || size > sampler.examples()) {
            throw new IllegalArgumentException("sample size " + size + " is not within 1.." + sampler.examples() + " examples");
        }
        if (interval < 1) {
            throw new IllegalArgumentException("iterations per sample must be >= 1, got " + interval);
        }
        if (curvature < 0) {
            throw new IllegalArgumentException("curvature subsample must be >= 0 (0: the whole sample), got " + curvature);
        }
    }

    /** Every product over the whole sample. */
    public SampleSchedule(Sampler sampler, int size, int interval) {
        this(sampler, size, interval, 0);
    }

    /** Whether Gauss–Newton products use a subsample of each sample. */
    boolean subsampledCurvature() {
        return curvature > 0 && curvature < size;
    }

    /** The curvature subsample of iteration {@code t}: {@code m_H} examples of {@link #at at(t)}. */
    int[] curvatureAt(long t) {
        return sampler.subsample(t / interval, size, curvature);
    }

    /** Whether iteration {@code t} (0-based) starts a new sample. */
    boolean resamples(long t) {
        return t % interval == 0;
    }

    /** The sample of iteration {@code t}. */
    int[] at(long t) {
        return sampler.sample(t / interval, size);
    }
}
