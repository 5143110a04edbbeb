package org.heatwave.block;

import org.heatwave.layer.Layer;

/**
 * A block that can be refined in depth (seed 002, "move between scales and add layers"): the same ODE
 * discretised with {@code 2nt} steps of {@code h/2}, its weights interpolated in time.
 */
public interface Refinable extends Layer {

    /** The block on twice the steps with half the step size. */
    Refinable refined();

    /** This block's parameters {@code theta[off …]} as {@link #refined()}'s. */
    double[] refineParameters(double[] theta, int off);
}
