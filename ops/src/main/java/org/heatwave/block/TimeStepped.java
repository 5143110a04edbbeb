package org.heatwave.block;

import org.heatwave.layer.Layer;

/**
 * A block of time steps whose parameters are stored set after set (what smoothness in time regularises,
 * {@link org.heatwave.reg.TimeSmoothness}).
 */
public interface TimeStepped extends Layer {

    /** The step size {@code h}. */
    double stepSize();

    /** Stored parameter sets ({@code nt} with per-step weights). */
    int parameterSets();

    /** Parameters per stored set. */
    int parametersPerSet();

    /** Whether there is one stored set per step (so consecutive sets are consecutive times {@code h} apart). */
    boolean perStepWeights();
}
