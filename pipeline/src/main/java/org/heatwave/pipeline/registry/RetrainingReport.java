package org.heatwave.pipeline.registry;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.heatwave.pipeline.ml.ClassifierEvaluation;
import org.heatwave.pipeline.report.ClassComparisonFigure;
import org.heatwave.pipeline.report.ConfusionMatrixFigure;

/**
 * The report of one retraining decision: a single self-contained HTML file (figures inlined as PNG data URIs, no
 * script, no external style), readable from the registry's file system or attached to a mail. It shows the decision
 * and why, every gate, champion against challenger overall and per class, both confusion matrices on the same
 * held-out set, the challenger's training curves and lineage, and the data checks.
 */
public final class RetrainingReport {
    private RetrainingReport() {
    }

    private static final String STYLE = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;"
            + "margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;"
            + "border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;"
            + "padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f5f5f5}.num{text-align:right;"
            + "font-variant-numeric:tabular-nums}.ok{color:#1a7f37}.bad{color:#cf222e}.decision{font-size:1.2em;"
            + "padding:.6em 1em;border-radius:6px;display:inline-block}.promoted{background:#dafbe1}.kept{background:#fff1e5}"
            + "img{max-width:100%;border:1px solid #eee}.pair{display:flex;gap:1em;flex-wrap:wrap}.pair img{max-width:520px}"
            + "code,pre{background:#f6f8fa;padding:.1em .3em}pre{padding:.6em;overflow:auto;max-height:24em}";

    /**
     * The report.
     *
     * @param challenger the trained version, or null (the data were refused)
     * @param champion   the champion it was compared with, or null (none)
     * @param comparison both evaluated on the held-out set, or null (nothing was trained)
     * @param curves     the challenger's training curves (PNG), or null
     */
    public static String html(String registry, Decision decision, ModelVersion challenger, ModelVersion champion,
                              Retraining.Comparison comparison, List<PromotionGate.Gate> gates, DataChecks.Result checks,
                              byte[] curves) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("heatwave retraining, decision " + decision.number())).append("</title><style>")
                .append(STYLE).append("</style></head><body>\n");
        h.append("<h1>Retraining decision ").append(decision.number()).append("</h1>\n<p><span class=\"decision ")
                .append(decision.decision().equals(Decision.PROMOTED) ? "promoted" : "kept").append("\">")
                .append(esc(headline(decision))).append("</span></p>\n");
        h.append("<ul>");
        for (String r : decision.reasons()) {
            h.append("<li>").append(esc(r)).append("</li>");
        }
        h.append("</ul>\n");
        table(h, List.of("registry", "time", "by", "data", "snapshot"), List.of(List.of(registry, decision.time(),
                decision.by(), challenger == null ? "" : challenger.dataRoot() + " (" + challenger.parts().size()
                        + " parts: " + String.join(", ", challenger.parts()) + ")", decision.snapshot() == null ? ""
                        : decision.snapshot().substring(0, 16))), false);
        if (!gates.isEmpty()) {
            h.append("<h2>Promotion gates</h2>\n");
            List<List<String>> rows = new ArrayList<>();
            for (PromotionGate.Gate g : gates) {
                rows.add(List.of(g.name(), g.passed() ? "✔ passed" : "✘ failed", g.detail()));
            }
            table(h, List.of("gate", "outcome", "measured"), rows, true);
        }
        if (comparison != null) {
            comparisonSection(h, comparison, challenger);
        }
        if (challenger != null) {
            h.append("<h2>Challenger v").append(challenger.version()).append("</h2>\n");
            table(h, List.of("start", "training time", "training images", "code"), List.of(List.of(
                    challenger.parent() == null ? "cold (seeded initialisation)" : "warm from v" + challenger.parent(),
                    String.format(Locale.ROOT, "%.1f s", challenger.trainSeconds()),
                    String.valueOf(challenger.trainingData().count()), challenger.code())), false);
            if (curves != null) {
                h.append("<p><img alt=\"training curves\" src=\"").append(dataUri(curves)).append("\"></p>\n");
            }
        }
        h.append("<h2>Data checks</h2>\n");
        if (checks.checks().isEmpty()) {
            h.append("<p>No champion yet: nothing to compare the data with.</p>\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (DataChecks.Check c : checks.checks()) {
                rows.add(List.of(c.name(), c.passed() ? "✔ within" : "✘ beyond", c.measured(), c.limit()));
            }
            table(h, List.of("check", "outcome", "measured", "limit"), rows, true);
            h.append("<p>Against the training data of ").append(champion == null ? "the champion" : "v" + champion.version())
                    .append(checks.refused() ? "; the data were refused." : checks.drift() ? "; a drift, reported." : ".")
                    .append("</p>\n");
        }
        if (challenger != null) {
            h.append("<h2>Configuration</h2>\n<details><summary>resolved configuration of v").append(challenger.version())
                    .append("</summary><pre>").append(esc(challenger.config())).append("</pre></details>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String headline(Decision d) {
        String champion = d.champion() == null ? "no champion" : "champion v" + d.champion();
        return switch (d.decision()) {
            case Decision.PROMOTED -> "promoted: v" + d.challenger() + " is the champion now";
            case Decision.KEPT -> (d.challenger() == null ? "kept: no challenger" : "kept: v" + d.challenger() + " not promoted")
                    + ", " + champion + " stays";
            default -> d.decision() + ": " + champion;
        };
    }

    private static void comparisonSection(StringBuilder h, Retraining.Comparison c, ModelVersion challenger) {
        ClassifierEvaluation ch = c.challenger(), cp = c.champion();
        String chName = "challenger v" + challenger.version(), cpName = cp == null ? null : "champion v" + c.championVersion();
        h.append("<h2>Champion against challenger on the held-out set (").append(ch.count()).append(" images)</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(chName, pct(ch.accuracy()), String.format(Locale.ROOT, "%.4f", ch.meanLoss())));
        if (cp != null) {
            rows.add(List.of(cpName, pct(cp.accuracy()), String.format(Locale.ROOT, "%.4f", cp.meanLoss())));
        }
        table(h, List.of("model", "accuracy", "mean cross-entropy"), rows, true);
        List<String> classes = ch.classNames();
        List<List<String>> perClass = new ArrayList<>();
        double[] a = new double[classes.size()], b = new double[classes.size()];
        for (int k = 0; k < classes.size(); k++) {
            a[k] = ch.recall(k);
            b[k] = cp == null ? Double.NaN : cp.recall(k);
            perClass.add(cp == null ? List.of(classes.get(k), pct(a[k])) : List.of(classes.get(k), pct(b[k]), pct(a[k]),
                    String.format(Locale.ROOT, "%+.2f", 100 * (a[k] - b[k]))));
        }
        table(h, cp == null ? List.of("class", chName) : List.of("class", cpName, chName, "change (points)"), perClass, true);
        List<String> names = cp == null ? List.of(chName) : List.of(cpName, chName);
        List<double[]> series = cp == null ? List.of(a) : List.of(b, a);
        h.append("<p><img alt=\"accuracy per class\" src=\"").append(dataUri(ClassComparisonFigure.png(classes, names,
                series, "accuracy per class on the held-out set"))).append("\"></p>\n<div class=\"pair\">");
        if (cp != null) {
            h.append("<img alt=\"champion confusion matrix\" src=\"").append(dataUri(ConfusionMatrixFigure.png(classes,
                    cp.confusion(), cpName + " · " + pct(cp.accuracy())))).append("\">");
        }
        h.append("<img alt=\"challenger confusion matrix\" src=\"").append(dataUri(ConfusionMatrixFigure.png(classes,
                ch.confusion(), chName + " · " + pct(ch.accuracy())))).append("\"></div>\n");
    }

    private static void table(StringBuilder h, List<String> header, List<List<String>> rows, boolean numbersRight) {
        h.append("<table><tr>");
        header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (String cell : row) {
                String cls = cell.startsWith("✔") ? " class=\"ok\"" : cell.startsWith("✘") ? " class=\"bad\""
                        : numbersRight && cell.matches("[-+]?[0-9.]+( %)?") ? " class=\"num\"" : "";
                h.append("<td").append(cls).append(">").append(esc(cell)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    private static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
