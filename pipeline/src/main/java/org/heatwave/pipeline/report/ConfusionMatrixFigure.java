package org.heatwave.pipeline.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A confusion matrix as a PNG heat map: true class down, predicted class across, each cell the share of its true
 * class (row-normalised, in percent, written in the cell), so that classes of different sizes read alike.
 */
public final class ConfusionMatrixFigure {
    private ConfusionMatrixFigure() {
    }

    /** The figure of {@code confusion[true][predicted]} with {@code classNames} on both axes. */
    public static byte[] png(List<String> classNames, long[][] confusion, String title) {
        int k = classNames.size();
        int size = Math.max(480, 60 * k + 200);
        HeatMapChart chart = new HeatMapChartBuilder().width(size).height(size).title(title)
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setShowValue(true).setMin(0).setMax(100).setPiecewise(false)
                .setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)});
        chart.getStyler().setLegendVisible(false);
        int[][] cells = new int[k * k][3];
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long v : confusion[t]) {
                row += v;
            }
            for (int p = 0; p < k; p++) {
                // y runs upward in the chart: the first class on top
                cells[t * k + p] = new int[] {p, k - 1 - t, row == 0 ? 0 : (int) Math.round(100.0 * confusion[t][p] / row)};
            }
        }
        int[] xs = new int[k];
        int[] ys = new int[k];
        for (int i = 0; i < k; i++) {
            xs[i] = i;
            ys[i] = i;
        }
        chart.addSeries("share of the true class (%)", xs, ys, cells);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> label(classNames, x.intValue()));
        chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> label(classNames, k - 1 - y.intValue()));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String label(List<String> names, int i) {
        return i >= 0 && i < names.size() ? names.get(i) : "";
    }
}
