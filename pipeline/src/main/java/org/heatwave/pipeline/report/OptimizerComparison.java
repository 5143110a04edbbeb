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

    /** One colour per run, in order, told apart in print and by most colour-blind readers (Tableau 10, reordered). */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xB07AA1), new Color(0x59A14F),
        new Color(0xE15759), new Color(0x222222), new Color(0x76B7B2), new Color(0x9C755F)};

    /** How far below the best final test accuracy a run may end and still appear in the close-up (points). */
    private static final double CLOSE_UP_POINTS = 5;

    /**
     * Training loss and test accuracy against data passes (left) and seconds (right), and a close-up of the test
     * accuracy over the last data pass and the last 40 % of the seconds, of the runs that end within
     * {@value #CLOSE_UP_POINTS} points of the best (where the differences that decide a choice are tenths of a point),
     * as PNG.
     */
    public byte[] png(String title) throws IOException {
        String seconds = "seconds (optimiser, without evaluations)";
        XYChart[] charts = {
            chart(title + " · training loss", "data passes", "training loss", true, false, false),
            chart("training loss", seconds, "training loss", false, false, false),
            chart("test accuracy", "data passes", "test accuracy (%)", true, true, false),
            chart("test accuracy", seconds, "test accuracy (%)", false, true, false),
            chart("test accuracy, last data pass (close-up)", "data passes", "test accuracy (%)", true, true, true),
            chart("test accuracy, last 40 % of the time (close-up)", seconds, "test accuracy (%)", false, true, true)};
        java.awt.image.BufferedImage[] images = new java.awt.image.BufferedImage[charts.length];
        for (int i = 0; i < charts.length; i++) {
            images[i] = BitmapEncoder.getBufferedImage(charts[i]);
        }
        int w = images[0].getWidth(), h = images[0].getHeight();
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(2 * w, charts.length / 2 * h,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grid.createGraphics();
        for (int i = 0; i < charts.length; i++) {
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

    /** A chart of every run; a close-up keeps the points near the end of the runs that end near the best. */
    private XYChart chart(String title, String x, String y, boolean passes, boolean accuracy, boolean closeUp) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        double best = runs.values().stream().mapToDouble(p -> p.get(p.size() - 1).testAccuracy()).max().orElse(0);
        double endPasses = runs.values().stream().mapToDouble(p -> p.get(p.size() - 1).passes()).max().orElse(0);
        double endSeconds = runs.values().stream().mapToDouble(p -> p.get(p.size() - 1).seconds()).max().orElse(0);
        c.getStyler().setLegendPosition(accuracy ? org.knowm.xchart.style.Styler.LegendPosition.InsideSE
                : org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        if (!accuracy && lossDecades() >= 1) {
            // a log axis only where the losses span a decade: below that it has no tick labels at all
            c.getStyler().setYAxisLogarithmic(true);
        }
        int colour = 0;
        for (Map.Entry<String, List<Point>> e : runs.entrySet()) {
            List<Point> p = e.getValue();
            if (closeUp) {
                // keep each run's colour; leave out runs that end far below the best, and points before the window
                if (100 * (best - p.get(p.size() - 1).testAccuracy()) > CLOSE_UP_POINTS) {
                    colour++;
                    continue;
                }
                p = p.stream().filter(q -> passes ? q.passes() >= endPasses - 1 : q.seconds() >= 0.6 * endSeconds).toList();
                if (p.isEmpty()) {
                    colour++;
                    continue;
                }
            }
            double[] xs = new double[p.size()], ys = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                xs[i] = passes ? p.get(i).passes() : p.get(i).seconds();
                ys[i] = accuracy ? 100 * p.get(i).testAccuracy() : p.get(i).trainLoss();
            }
            XYSeries s = c.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(PALETTE[colour % PALETTE.length]);
            s.setMarkerColor(PALETTE[colour % PALETTE.length]);
            colour++;
        }
        return c;
    }
}
