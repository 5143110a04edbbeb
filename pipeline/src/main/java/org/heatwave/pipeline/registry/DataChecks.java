package org.heatwave.pipeline.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks a retraining makes on the new training data before it trains, against the champion's training data
 * ({@link DataProfile}, from its lineage) — TFX's ExampleValidator in small:
 * <ul>
 *   <li><b>schema</b>: the same class names and image shape, else the champion could not be compared with the
 *       challenger on the held-out set: refused whatever the configuration;</li>
 *   <li><b>class balance</b>: the total variation distance {@code ½ Σ_k |p_k − q_k|} between the class frequencies,
 *       a drift above {@code retrain.drift.max-class-shift};</li>
 *   <li><b>pixel statistics</b>: per channel, the change of the mean in the champion data's standard deviations,
 *       {@code |μ − μ₀| / σ₀}, and of the standard deviation, {@code |σ/σ₀ − 1|}: a drift above
 *       {@code retrain.drift.max-pixel-shift}.</li>
 * </ul>
 * A drift is reported, and refused when {@code retrain.drift.refuse}.
 */
public final class DataChecks {
    private DataChecks() {
    }

    /** One check: its name, what was measured, against what, and whether it passed. */
    public record Check(String name, String measured, String limit, boolean passed) {
        @Override
        public String toString() {
            return name + ": " + measured + (passed ? " (within " : " (beyond ") + limit + ")";
        }
    }

    /** Every check, and whether the data are refused. */
    public record Result(List<Check> checks, boolean schemaMismatch, boolean drift, boolean refused) {
        /** The failed checks, as reasons. */
        public List<String> findings() {
            return checks.stream().filter(c -> !c.passed()).map(Check::toString).toList();
        }
    }

    /**
     * Checks {@code now} against {@code champion} (null: no champion, nothing to compare: the data pass).
     *
     * @param maxClassShift largest total variation distance of the class frequencies
     * @param maxPixelShift largest change of a channel's mean (in σ₀) or standard deviation (relative)
     * @param refuseDrift   whether a drift refuses the data
     */
    public static Result run(DataProfile now, DataProfile champion, double maxClassShift, double maxPixelShift,
                             boolean refuseDrift) {
        List<Check> checks = new ArrayList<>();
        if (champion == null) {
            return new Result(checks, false, false, false);
        }
        boolean sameClasses = now.classNames().equals(champion.classNames());
        checks.add(new Check("classes", now.classNames().toString(), "the champion's " + champion.classNames(), sameClasses));
        boolean sameShape = now.shape().equals(champion.shape());
        checks.add(new Check("image shape", now.shape(), "the champion's " + champion.shape(), sameShape));
        if (!sameClasses || !sameShape) {
            return new Result(checks, true, false, true);
        }
        double tv = totalVariation(now.classCounts(), champion.classCounts());
        checks.add(new Check("class balance", String.format(Locale.ROOT, "total variation distance %.4f", tv),
                String.format(Locale.ROOT, "%.4f", maxClassShift), tv <= maxClassShift));
        for (int c = 0; c < now.channels(); c++) {
            double sigma0 = Math.max(champion.std()[c], 1e-12);
            double meanShift = Math.abs(now.mean()[c] - champion.mean()[c]) / sigma0;
            double stdShift = Math.abs(now.std()[c] / sigma0 - 1);
            String channel = now.channels() == 1 ? "pixels" : "channel " + c;
            checks.add(new Check(channel + " mean", String.format(Locale.ROOT, "%.4f (champion %.4f): shift %.3f σ",
                    now.mean()[c], champion.mean()[c], meanShift), String.format(Locale.ROOT, "%.3f σ", maxPixelShift),
                    meanShift <= maxPixelShift));
            checks.add(new Check(channel + " standard deviation", String.format(Locale.ROOT,
                    "%.4f (champion %.4f): change %.3f", now.std()[c], champion.std()[c], stdShift),
                    String.format(Locale.ROOT, "%.3f", maxPixelShift), stdShift <= maxPixelShift));
        }
        boolean drift = checks.stream().anyMatch(c -> !c.passed());
        return new Result(checks, false, drift, drift && refuseDrift);
    }

    /** {@code ½ Σ_k |p_k − q_k|} of the frequencies of two count vectors of one length. */
    static double totalVariation(long[] a, long[] b) {
        double na = 0, nb = 0;
        for (int k = 0; k < a.length; k++) {
            na += a[k];
            nb += b[k];
        }
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += Math.abs(a[k] / na - b[k] / nb);
        }
        return sum / 2;
    }
}
