package org.heatwave.pipeline.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
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
 * Phase-plane plots of features propagated through identical layers (seed 004, Figs. 2 and 3): one panel
 * per experiment, each feature's path through the layers (first two coordinates) with its final position
 * marked, in the seed's colours (y1 blue, y2 orange, y3 yellow), panels in a grid, as one PNG.
 */
public final class PhasePlanes {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xe6b800)};
    private final List<XYChart> panels = new ArrayList<>();

    /** A panel: {@code trajectory[layer][feature][coordinate]}, the paths from the input to the last layer. */
    public void add(String title, double[][][] trajectory) {
        XYChart c = new XYChartBuilder().width(420).height(380).title(title).xAxisTitle("y₁").yAxisTitle("y₂").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(panels.isEmpty());
        int features = trajectory[0].length;
        for (int f = 0; f < features; f++) {
            double[] x = new double[trajectory.length];
            double[] y = new double[trajectory.length];
            for (int l = 0; l < trajectory.length; l++) {
                x[l] = trajectory[l][f][0];
                y[l] = trajectory[l][f][1];
            }
            XYSeries path = c.addSeries("y" + (f + 1), x, y);
            path.setMarker(SeriesMarkers.NONE);
            path.setLineColor(COLOURS[f % COLOURS.length]);
            XYSeries end = c.addSeries("y" + (f + 1) + " end", new double[] {x[x.length - 1]}, new double[] {y[y.length - 1]});
            end.setMarker(SeriesMarkers.CIRCLE);
            end.setMarkerColor(COLOURS[f % COLOURS.length]);
            end.setShowInLegend(false);
            end.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        }
        panels.add(c);
    }

    /** The panels, {@code columns} per row, as PNG. */
    public byte[] png(int columns) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (XYChart c : panels) {
            images.add(BitmapEncoder.getBufferedImage(c));
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(w * Math.min(columns, images.size()), h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % columns) * w, (i / columns) * h, null);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(grid, "png", out);
        return out.toByteArray();
    }
}
