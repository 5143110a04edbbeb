package org.heatwave.pipeline.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress of a training run: a line every few steps (SGD) or every iteration (second-order
 * methods) with where the run is, running loss and accuracy, throughput and the estimated time to the end.
 * Within a long iteration (a Gauss–Newton iteration over a large sample takes minutes on two cores) it says what the
 * run is working on once the console has been silent for a while ({@link #working}).
 */
final class Progress {
    private final PrintStream out;
    private final double heartbeatSeconds;
    private long startNanos = System.nanoTime();
    private long lastLineNanos = startNanos;

    /** @param heartbeatSeconds seconds of silence after which {@link #working} prints the computation under way */
    Progress(PrintStream out, double heartbeatSeconds) {
        this.out = out;
        this.heartbeatSeconds = heartbeatSeconds;
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
        lastLineNanos = System.nanoTime();
    }

    void line(String text) {
        out.println(text);
        lastLineNanos = System.nanoTime();
    }

    /**
     * The computation the optimiser starts ({@code "iter 12 · CG 4/10"}, the objective's phase), printed only when the
     * console has been silent for the heartbeat's seconds, e.g. {@code … iter 12 · CG 4/10 · 9m12s elapsed}.
     */
    void working(String phase) {
        long now = System.nanoTime();
        if ((now - lastLineNanos) / 1e9 >= heartbeatSeconds) {
            out.printf(Locale.ROOT, "  … %s · %s elapsed%n", phase, duration(elapsedSeconds()));
            lastLineNanos = now;
        }
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
