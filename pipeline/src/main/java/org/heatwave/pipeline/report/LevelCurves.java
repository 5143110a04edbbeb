package org.heatwave.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test accuracy against wall time for the levels of a multilevel run (and, in the experiment, the fine-only
 * run beside it): one series per level, placed at the time the level started, so the curves read as one
 * run whose resolution changes.
 */
public final class LevelCurves {
    /** A test evaluation: wall seconds since the run began, test accuracy in [0, 1]. */
    public record Point(double seconds, double accuracy) {
    }

    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    /**
     * Adds a series from a run's {@code metrics.jsonl} records: every {@code epoch} record's test accuracy at
     * {@code startSeconds} plus its {@code elapsed_seconds}.
     */
    public void add(String name, double startSeconds, List<JsonNode> records) {
        add(name, startSeconds, records, Double.NaN);
    }

    /**
     * As {@link #add(String, double, List)}, the series starting with {@code initialAccuracy} at
     * {@code startSeconds} (a moved network's accuracy before it trains on the level; NaN: none).
     */
    public void add(String name, double startSeconds, List<JsonNode> records, double initialAccuracy) {
        List<Point> points = new ArrayList<>();
        if (!Double.isNaN(initialAccuracy)) {
            points.add(new Point(startSeconds, initialAccuracy));
        }
        for (JsonNode r : records) {
            if ("epoch".equals(r.path("kind").asText()) && r.has("test_accuracy")) {
                points.add(new Point(startSeconds + r.get("elapsed_seconds").asDouble(), r.get("test_accuracy").asDouble()));
            }
        }
        series.put(name, points);
    }

    /** The series added so far, by name. */
    public Map<String, List<Point>> series() {
        return series;
    }

    /** The chart as PNG. */
    public byte[] png(String title) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("wall seconds")
                .yAxisTitle("test accuracy (%)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            List<Point> p = e.getValue();
            if (p.isEmpty()) {
                continue;
            }
            double[] xs = new double[p.size()], ys = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                xs[i] = p.get(i).seconds();
                ys[i] = 100 * p.get(i).accuracy();
            }
            XYSeries s = c.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }
}
