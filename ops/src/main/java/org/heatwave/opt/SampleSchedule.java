package org.heatwave.opt;

/**
 * Sample average approximation (seeds 002, 003): the objective is the average over a sample of {@code m}
 * examples, drawn afresh every {@code k} iterations ({@link Sampler#sample}, fixed by the seed) and fixed
 * in between, so that a few iterations of a deterministic method (Gauss–Newton, L-BFGS) make progress on
 * one well-defined problem. {@code m = N} is the full-data objective.
 *
 * @param size     m
 * @param interval k, iterations per sample
 */
public record SampleSchedule(Sampler sampler, int size, int interval) {
    public SampleSchedule {
        if (size < 1 || size > sampler.examples()) {
            throw new IllegalArgumentException("sample size " + size + " is not within 1.." + sampler.examples() + " examples");
        }
        if (interval < 1) {
            throw new IllegalArgumentException("iterations per sample must be >= 1, got " + interval);
        }
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
