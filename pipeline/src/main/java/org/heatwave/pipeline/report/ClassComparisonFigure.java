package org.heatwave.pipeline.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Per-class accuracy (recall, in percent) of two models side by side — the champion and the challenger of a
 * retraining — as grouped bars, one group per class. A class without images is drawn at 0 and named in the title.
 */
public final class ClassComparisonFigure {
    private ClassComparisonFigure() {
    }

    /**
     * The figure as PNG.
     *
     * @param series each model's name and per-class recall in [0, 1] (NaN: no images of that class)
     */
    public static byte[] png(List<String> classNames, List<String> names, List<double[]> series, String title) {
        CategoryChart c = new CategoryChartBuilder().width(Math.max(640, 80 * classNames.size())).height(420)
                .title(title).xAxisTitle("class").yAxisTitle("accuracy on the class (%)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(100.0);
        c.getStyler().setXAxisLabelRotation(classNames.size() > 6 ? 45 : 0);
        c.getStyler().setXAxisTickMarkSpacingHint(20); // a label under every bar, not every other one
        for (int s = 0; s < names.size(); s++) {
            List<Double> values = new ArrayList<>();
            for (double r : series.get(s)) {
                values.add(Double.isNaN(r) ? 0 : 100 * r);
            }
            c.addSeries(names.get(s), classNames, values);
        }
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
