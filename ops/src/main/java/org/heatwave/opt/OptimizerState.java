package org.heatwave.opt;

import java.util.Map;
import java.util.TreeMap;

/**
 * An optimiser's state between two iterations — everything it needs, besides the point {@code x} and the
 * objective, to continue exactly as if it had never stopped (issue 14: checkpoints and exact resume). The
 * examples visited next follow from the iteration count and the seed ({@link Sampler}); what the optimiser
 * carries from one iteration to the next is here: the data spent, momentum buffers and moment estimates,
 * L-BFGS pairs and the cached evaluation at {@code x}, Gauss–Newton's damping and trust radius.
 *
 * <p>A plain value of named numbers and vectors, so the pipeline can write it into a checkpoint without
 * knowing any optimiser; {@link Optimizer#minimize(SampledObjective, double[], Optimizer.Budget,
 * Optimizer.Listener, OptimizerState)} takes it back.
 *
 * @param optimizer  the {@link Optimizer#name} that wrote it (checked on resume)
 * @param iteration  iterations completed
 * @param examples   examples processed so far (the data-pass tally)
 * @param scalars    named numbers (copied, sorted by name)
 * @param vectors    named vectors (copied, sorted by name; the arrays are the caller's after construction)
 */
public record OptimizerState(String optimizer, long iteration, long examples, Map<String, Double> scalars,
                             Map<String, double[]> vectors) {
    public OptimizerState {
        scalars = new TreeMap<>(scalars);
        vectors = new TreeMap<>(vectors);
    }

    /** The number {@code name}; an error naming the optimiser and the key if it is missing. */
    public double scalar(String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalArgumentException(optimizer + " state lacks '" + name + "' (has " + scalars.keySet() + ")");
        }
        return v;
    }

    /** The vector {@code name}; an error naming the optimiser and the key if it is missing. */
    public double[] vector(String name) {
        double[] v = vectors.get(name);
        if (v == null) {
            throw new IllegalArgumentException(optimizer + " state lacks vector '" + name + "' (has " + vectors.keySet() + ")");
        }
        return v;
    }

    /** @throws IllegalArgumentException unless this state was written by {@code name} for a point of {@code dimension} */
    void requireFor(String name, int dimension, String... vectorNames) {
        if (!optimizer.equals(name)) {
            throw new IllegalArgumentException("cannot resume " + name + " from the state of " + optimizer);
        }
        for (String v : vectorNames) {
            if (vector(v).length != dimension) {
                throw new IllegalArgumentException(optimizer + " state vector '" + v + "' has " + vector(v).length
                        + " entries, the point " + dimension);
            }
        }
    }
}
