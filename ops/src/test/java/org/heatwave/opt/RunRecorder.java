package org.heatwave.opt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything an optimiser run reports, in order — every iteration and the point after it, as text for bitwise
 * comparison — and the point and state at iteration {@code stopAfter}, where it stops the run (exact-resume tests).
 */
public final class RunRecorder implements Optimizer.Listener {
    public final List<String> reports = new ArrayList<>();
    public final List<Optimizer.Iteration> iterations = new ArrayList<>();
    private final long stopAfter;
    public double[] pointAtStop;
    public OptimizerState stateAtStop;

    /** @param stopAfter the iteration to stop after (−1: none) */
    public RunRecorder(long stopAfter) {
        this.stopAfter = stopAfter;
    }

    @Override
    public boolean iteration(Optimizer.Iteration it, double[] x) {
        throw new AssertionError("optimisers report their state");
    }

    @Override
    public boolean iteration(Optimizer.Iteration it, double[] x, Supplier<OptimizerState> state) {
        reports.add(it + " at " + Arrays.toString(x));
        iterations.add(it);
        if (it.number() == stopAfter) {
            pointAtStop = x.clone();
            stateAtStop = state.get();
            return false;
        }
        return true;
    }
}
