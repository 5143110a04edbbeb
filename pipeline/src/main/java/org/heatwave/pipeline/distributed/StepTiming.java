package org.heatwave.pipeline.distributed;

/**
 * Where the wall time of one distributed step (a loss-and-gradient job, seen from the driver) went:
 * <ul>
 *   <li>{@code broadcast}: handing θ to the tasks ({@link JobInput}: creating its broadcast on the driver, or
 *       offering a reference in local mode) plus the slowest task's fetch of it;</li>
 *   <li>{@code compute}: the slowest task's forward and backward passes;</li>
 *   <li>{@code aggregation}: the slowest task's additions to the exact sums (the merges of the tree and the
 *       transfer of the partial sums are in {@code scheduling});</li>
 *   <li>{@code scheduling}: the rest — job and task scheduling, task launch and serialisation, the tree's
 *       combination and the results' transfer to the driver.</li>
 * </ul>
 * The four add up to {@code wall}.
 */
public record StepTiming(double wall, double broadcast, double compute, double aggregation, double scheduling) {

    /** From the driver's wall and broadcast seconds and the slowest task's {@code [fetch, compute, sum]} seconds. */
    static StepTiming of(double wall, double driverBroadcast, double[] task) {
        double broadcast = driverBroadcast + task[0];
        return new StepTiming(wall, broadcast, task[1], task[2], Math.max(0, wall - broadcast - task[1] - task[2]));
    }

    /** The element-wise sum (for means over several steps). */
    public StepTiming plus(StepTiming o) {
        return new StepTiming(wall + o.wall, broadcast + o.broadcast, compute + o.compute, aggregation + o.aggregation,
                scheduling + o.scheduling);
    }

    public StepTiming scaled(double f) {
        return new StepTiming(wall * f, broadcast * f, compute * f, aggregation * f, scheduling * f);
    }

    public static final StepTiming ZERO = new StepTiming(0, 0, 0, 0, 0);
}
