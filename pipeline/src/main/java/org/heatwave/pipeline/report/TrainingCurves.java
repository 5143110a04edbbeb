package org.heatwave.pipeline.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves of a run as a PNG: loss (left) and accuracy (right) against the number of
 * training images seen, for the logged training windows and the per-epoch test evaluations.
 */
public final class TrainingCurves {
    private final List<double[]> train = new ArrayList<>();
    private final List<double[]> test = new ArrayList<>();

    /** A training window ending after {@code images} images with mean loss and accuracy. */
    public void addTrain(double images, double loss, double accuracy) {
        train.add(new double[] {images, loss, accuracy});
    }

    /** A test evaluation after {@code images} training images. */
    public void addTest(double images, double loss, double accuracy) {
        test.add(new double[] {images, loss, accuracy});
    }

    /** The points so far, {@code {"train": [[images, loss, accuracy], …], "test": […]}} (for checkpoints). */
    public com.fasterxml.jackson.databind.node.ObjectNode state() {
        com.fasterxml.jackson.databind.node.ObjectNode s = org.heatwave.pipeline.io.Json.object();
        s.set("train", org.heatwave.pipeline.io.Json.MAPPER.valueToTree(train));
        s.set("test", org.heatwave.pipeline.io.Json.MAPPER.valueToTree(test));
        return s;
    }

    /** Continues from points saved by {@link #state} (replacing any added so far). */
    public void restore(com.fasterxml.jackson.databind.JsonNode state) {
        train.clear();
        test.clear();
        for (com.fasterxml.jackson.databind.JsonNode p : state.path("train")) {
            train.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble()});
        }
        for (com.fasterxml.jackson.databind.JsonNode p : state.path("test")) {
            test.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble()});
        }
    }

    /** The two panels side by side, encoded as PNG. */
    public byte[] png(String title) throws IOException {
        XYChart loss = chart("loss · " + title, "loss", 1);
        XYChart acc = chart("accuracy · " + title, "accuracy (%)", 2);
        java.awt.image.BufferedImage left = BitmapEncoder.getBufferedImage(loss);
        java.awt.image.BufferedImage right = BitmapEncoder.getBufferedImage(acc);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(both, "png", out);
        return out.toByteArray();
    }

    private XYChart chart(String title, String yLabel, int column) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("training images seen")
                .yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        // loss falls and accuracy rises: keep the legend where the curves are not
        c.getStyler().setLegendPosition(column == 2 ? org.knowm.xchart.style.Styler.LegendPosition.InsideSE
                : org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        double scale = column == 2 ? 100 : 1;
        if (!train.isEmpty()) {
            XYSeries s = c.addSeries("train (window mean)", column(train, 0, 1), column(train, column, scale));
            s.setMarker(SeriesMarkers.NONE);
        }
        if (!test.isEmpty()) {
            XYSeries s = c.addSeries("test", column(test, 0, 1), column(test, column, scale));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    private static double[] column(List<double[]> rows, int k, double scale) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[k] * scale;
        }
        return v;
    }
}
