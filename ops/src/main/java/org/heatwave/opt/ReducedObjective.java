package org.heatwave.opt;

import java.util.Map;

/**
 * An objective in the leading coordinates {@code x_r} of a larger problem whose trailing coordinates {@code w} are
 * eliminated by an inner minimisation, {@code F(x_r) = f(x_r, w*(x_r))} — variable projection (Golub and Pereyra;
 * seeds 002 and 003), implemented for networks by {@link org.heatwave.net.VariableProjection}, where {@code x_r} are
 * the feature parameters and {@code w} the classifier. Its points map back to the full problem's by
 * {@link #assemble}, which a {@link Hybrid} uses to hand one point through both of its phases.
 */
public interface ReducedObjective extends SampledObjective {

    /** The full point: {@code reduced} followed by the current inner solution {@code w} (that of the last evaluation). */
    double[] assemble(double[] reduced);

    /**
     * Solves for the eliminated coordinates alone, {@code w*(x_r)} on the examples {@code indices} (any order),
     * warm-started from the current ones; the next {@link #assemble} returns them. Costs one forward pass over those
     * examples and the inner solve — no gradient in {@code x_r}.
     */
    Elimination solveEliminated(double[] reduced, int[] indices);

    /**
     * What {@link #solveEliminated} found.
     *
     * @param value       the objective on those examples at the new full point, regularisers included
     * @param diagnostics its named numbers ({@code data_loss}, {@code accuracy}, the inner solve's iterations, …)
     */
    record Elimination(double value, Map<String, Double> diagnostics) {
    }
}
