package org.heatwave.pipeline.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress of a training run: a line every few steps (SGD) or every iteration (second-order
 * methods) with where the run is, running loss and accuracy, throughput and the estimated time to the end.
 */
final class Progress {
    private final PrintStream out;
    private long startNanos = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    /** Continues a clock that had reached {@code seconds} (a resumed run). */
    void resumeAt(double seconds) {
        startNanos = System.nanoTime() - Math.round(seconds * 1e9);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds still to go at the average pace so far, with {@code done} of the run (0…1) behind. */
    double etaSeconds(double done) {
        return done <= 0 ? Double.NaN : elapsedSeconds() / done * (1 - Math.min(1, done));
    }

    /** E.g. {@code epoch 2/5 · step 350/937 · loss 0.4213 · acc 85.1% · 160 img/s · ETA 12m40s}. */
    void step(String where, double loss, double accuracy, double imagesPerSecond, double done) {
        out.printf(Locale.ROOT, "%s · loss %.4f · acc %.1f%% · %.0f img/s · ETA %s%n",
                where, loss, 100 * accuracy, imagesPerSecond, duration(etaSeconds(done)));
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
