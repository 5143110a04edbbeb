package org.heatwave.opt;

/**
 * A first-order update {@code x ← x − η·u(g, state)} with explicit state {@code S} (momentum buffers, moment
 * estimates, step count), so a checkpoint can save it and a resumed run continues exactly.
 */
public interface UpdateRule<S> {

    /** The state before the first step, for {@code n} parameters. */
    S initial(int n);

    /** One step with gradient {@code g} (not modified) and learning rate {@code lr}; updates {@code x} in place. */
    S step(double[] x, double[] g, S state, double lr);

    /** {@code state} as an {@link OptimizerState} of {@code optimizer} after {@code iteration} iterations (copies). */
    OptimizerState save(S state, String optimizer, long iteration, long examples);

    /** The state saved by {@link #save}. */
    S restore(OptimizerState saved);
}
