package org.heatwave.pipeline.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress of a training run: one line every few steps with epoch, step, running loss and
 * accuracy, throughput and the estimated time to the end.
 */
final class Progress {
    private final PrintStream out;
    private final long totalSteps;
    private final long startNanos = System.nanoTime();

    Progress(PrintStream out, long totalSteps) {
        this.out = out;
        this.totalSteps = totalSteps;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds still to go at the average pace so far. */
    double etaSeconds(long stepsDone) {
        return stepsDone == 0 ? Double.NaN : elapsedSeconds() / stepsDone * (totalSteps - stepsDone);
    }

    void step(int epoch, int epochs, int step, int stepsPerEpoch, double loss, double accuracy, double imagesPerSecond,
              long stepsDone) {
        out.printf(Locale.ROOT, "epoch %d/%d · step %d/%d · loss %.4f · acc %.1f%% · %.0f img/s · ETA %s%n",
                epoch, epochs, step, stepsPerEpoch, loss, 100 * accuracy, imagesPerSecond, duration(etaSeconds(stepsDone)));
    }

    void line(String text) {
        out.println(text);
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
