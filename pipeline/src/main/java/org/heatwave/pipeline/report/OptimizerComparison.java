package org.heatwave.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Optimisers side by side (issue 5): for each, the checkpoint evaluations of its run ({@code "kind": "eval"}
 * records of metrics.jsonl — data passes, optimiser seconds without the evaluations, loss on a fixed
 * training sample, test accuracy). Draws training loss and test accuracy against data passes and against
 * wall time (a 2 × 2 PNG), and finds where each run first reaches a target loss (linear interpolation
 * between checkpoints) — the reference's final loss: "does it get where SGD gets, in fewer passes and less
 * time?".
 */
public final class OptimizerComparison {
    /** One checkpoint. */
    public record Point(double passes, double seconds, double trainLoss, double testAccuracy) {
    }

    /** Where a run first reaches a loss: data passes and seconds. */
    public record Reach(double passes, double seconds) {
    }

    private final Map<String, List<Point>> runs = new LinkedHashMap<>();

    /** Adds a run from its metrics.jsonl records (the {@code eval} ones). */
    public void add(String name, List<JsonNode> records) {
        List<Point> points = new ArrayList<>();
        for (JsonNode r : records) {
            if (r.path("kind").asText().equals("eval") && r.has("train_eval_loss")) {
                points.add(new Point(r.get("data_passes").asDouble(), r.get("train_seconds").asDouble(),
                        r.get("train_eval_loss").asDouble(), r.get("test_accuracy").asDouble()));
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException(name + ": no checkpoint evaluations with a training loss in metrics.jsonl"
                    + " (set log.eval-every-passes and log.train-eval-examples)");
        }
        runs.put(name, points);
    }

    public Map<String, List<Point>> runs() {
        return runs;
    }

    /** The last checkpoint of {@code name}. */
    public Point last(String name) {
        List<Point> p = runs.get(name);
        return p.get(p.size() - 1);
    }

    /** Where {@code name}'s training loss first falls to {@code target}, or null if it never does. */
    public Reach reach(String name, double target) {
        List<Point> p = runs.get(name);
        if (p.get(0).trainLoss() <= target) {
            return new Reach(p.get(0).passes(), p.get(0).seconds());
        }
        for (int i = 1; i < p.size(); i++) {
            Point a = p.get(i - 1), b = p.get(i);
            if (b.trainLoss() <= target) {
                double t = (a.trainLoss() - target) / (a.trainLoss() - b.trainLoss());
                return new Reach(a.passes() + t * (b.passes() - a.passes()), a.seconds() + t * (b.seconds() - a.seconds()));
            }
        }
        return null;
    }

    /** A Markdown table: final loss and accuracy, passes and seconds, and where each reaches {@code target}. */
    public String table(String reference, double target) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "| optimiser | data passes | seconds | training loss | test accuracy | "
                + "reaches %s's final loss %.4f at |%n|---|---|---|---|---|---|%n", reference, target));
        for (String name : runs.keySet()) {
            Point l = last(name);
            Reach r = reach(name, target);
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.4f | %.2f %% | %s |%n", name, l.passes(), l.seconds(),
                    l.trainLoss(), 100 * l.testAccuracy(), r == null ? "not reached"
                            : String.format(Locale.ROOT, "%.2f passes, %.0f s", r.passes(), r.seconds())));
        }
        return s.toString();
    }

    /** Training loss and test accuracy against data passes (left) and seconds (right), as PNG. */
    public byte[] png(String title) throws IOException {
        XYChart[] charts = {
            chart(title + " · training loss", "data passes", "training loss", true, false),
            chart("training loss", "seconds (optimiser, without evaluations)", "training loss", false, false),
            chart("test accuracy", "data passes", "test accuracy (%)", true, true),
            chart("test accuracy", "seconds (optimiser, without evaluations)", "test accuracy (%)", false, true)};
        java.awt.image.BufferedImage[] images = new java.awt.image.BufferedImage[4];
        for (int i = 0; i < 4; i++) {
            images[i] = BitmapEncoder.getBufferedImage(charts[i]);
        }
        int w = images[0].getWidth(), h = images[0].getHeight();
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(2 * w, 2 * h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grid.createGraphics();
        for (int i = 0; i < 4; i++) {
            g.drawImage(images[i], (i % 2) * w, (i / 2) * h, null);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(grid, "png", out);
        return out.toByteArray();
    }

    /** How many decades the positive training losses of all runs span. */
    private double lossDecades() {
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (List<Point> p : runs.values()) {
            for (Point q : p) {
                if (q.trainLoss() > 0) {
                    min = Math.min(min, q.trainLoss());
                    max = Math.max(max, q.trainLoss());
                }
            }
        }
        return max > 0 ? Math.log10(max / min) : 0;
    }

    private XYChart chart(String title, String x, String y, boolean passes, boolean accuracy) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(accuracy ? org.knowm.xchart.style.Styler.LegendPosition.InsideSE
                : org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        if (!accuracy && lossDecades() >= 1) {
            // a log axis only where the losses span a decade: below that it has no tick labels at all
            c.getStyler().setYAxisLogarithmic(true);
        }
        for (Map.Entry<String, List<Point>> e : runs.entrySet()) {
            List<Point> p = e.getValue();
            double[] xs = new double[p.size()], ys = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                xs[i] = passes ? p.get(i).passes() : p.get(i).seconds();
                ys[i] = accuracy ? 100 * p.get(i).testAccuracy() : p.get(i).trainLoss();
            }
            XYSeries s = c.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }
}
