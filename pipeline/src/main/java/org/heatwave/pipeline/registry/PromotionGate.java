package org.heatwave.pipeline.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.heatwave.pipeline.ml.ClassifierEvaluation;

/**
 * Whether a challenger may replace the champion — TFX's "blessing": both evaluated on the same held-out set, the
 * challenger promoted only if it passes every gate (accuracies in percentage points):
 * <ol>
 *   <li><b>finite</b>: its held-out loss and accuracy are finite numbers;</li>
 *   <li><b>no regression</b>: accuracy ≥ champion's − {@code retrain.gate.tolerance};</li>
 *   <li><b>improvement</b>: accuracy ≥ champion's + {@code retrain.gate.margin};</li>
 *   <li><b>class floor</b>: every class's accuracy (recall) ≥ {@code retrain.gate.class-floor};</li>
 *   <li>without a champion, <b>minimum accuracy</b>: accuracy ≥ {@code retrain.gate.min-accuracy}.</li>
 * </ol>
 * Every gate is evaluated and reported, passed or not, so a decision says exactly why.
 */
public record PromotionGate(double tolerance, double margin, double classFloor, double minAccuracy) {

    /** One gate's outcome. */
    public record Gate(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return name + (passed ? " passed: " : " failed: ") + detail;
        }
    }

    /** The gates for {@code challenger} against {@code champion} (null: there is none), in the order above. */
    public List<Gate> evaluate(ClassifierEvaluation challenger, ClassifierEvaluation champion) {
        List<Gate> gates = new ArrayList<>();
        double acc = 100 * challenger.accuracy(), loss = challenger.meanLoss();
        gates.add(new Gate("finite", Double.isFinite(acc) && Double.isFinite(loss),
                String.format(Locale.ROOT, "held-out loss %.4f, accuracy %.2f %%", loss, acc)));
        if (champion != null) {
            double ref = 100 * champion.accuracy();
            gates.add(new Gate("no regression", acc >= ref - tolerance, String.format(Locale.ROOT,
                    "accuracy %.2f %% against the champion's %.2f %% − tolerance %.2f", acc, ref, tolerance)));
            gates.add(new Gate("improvement", acc >= ref + margin, String.format(Locale.ROOT,
                    "accuracy %.2f %% against the champion's %.2f %% + margin %.2f", acc, ref, margin)));
        } else {
            gates.add(new Gate("minimum accuracy", acc >= minAccuracy, String.format(Locale.ROOT,
                    "accuracy %.2f %% against %.2f %% (no champion yet)", acc, minAccuracy)));
        }
        List<String> below = new ArrayList<>();
        double worst = Double.POSITIVE_INFINITY;
        for (int k = 0; k < challenger.classNames().size(); k++) {
            double r = 100 * challenger.recall(k);
            if (Double.isNaN(r)) {
                continue;
            }
            worst = Math.min(worst, r);
            if (r < classFloor) {
                below.add(String.format(Locale.ROOT, "%s %.2f %%", challenger.classNames().get(k), r));
            }
        }
        gates.add(new Gate("class floor", below.isEmpty(), below.isEmpty()
                ? String.format(Locale.ROOT, "every class at least %.2f %% (lowest %.2f %%)", classFloor, worst)
                : String.format(Locale.ROOT, "below %.2f %%: %s", classFloor, String.join(", ", below))));
        return gates;
    }

    /** Whether every gate passed. */
    public static boolean passed(List<Gate> gates) {
        return gates.stream().allMatch(Gate::passed);
    }
}
