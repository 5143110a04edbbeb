package org.heatwave.opt;

/**
 * The learning-rate schedule of a run: linear warm-up from 0 to the peak over {@code warmupSteps}, then
 * constant or cosine decay {@code η(t) = η_max · ½(1 + cos(π t / T))} to 0 at the last step.
 */
public record LearningRate(double peak, String schedule, long warmupSteps, long totalSteps) {

    /** The learning rate of step {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / (double) warmupSteps;
        }
        if (schedule.equals("constant")) {
            return peak;
        }
        long span = Math.max(1, totalSteps - warmupSteps);
        double t = Math.min(1.0, (step - warmupSteps) / (double) span);
        return peak * 0.5 * (1 + Math.cos(Math.PI * t));
    }
}
