package org.heatwave.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A confusion matrix as a PNG: true class down, predicted class across, each cell the share of its true class
 * (row-normalised, in percent, written in the cell) on a white-to-blue scale, so that classes of different sizes read
 * alike; the row's image count beside it. Drawn directly with Java 2D (a heat-map chart places its tick labels
 * between the cells).
 */
public final class ConfusionMatrixFigure {
    private static final int CELL = 52;
    private static final Color LOW = new Color(247, 251, 255);
    private static final Color HIGH = new Color(8, 48, 107);

    private ConfusionMatrixFigure() {
    }

    /** The figure of {@code confusion[true][predicted]} with {@code classNames} on both axes, as PNG. */
    public static byte[] png(List<String> classNames, long[][] confusion, String title) {
        return Figures.png(image(classNames, confusion, title));
    }

    /** The figure of {@code confusion[true][predicted]} with {@code classNames} on both axes. */
    public static BufferedImage image(List<String> classNames, long[][] confusion, String title) {
        int k = classNames.size();
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int labelWidth = 0;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(labelFont);
        for (String name : classNames) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(name));
        }
        int left = labelWidth + 50, top = 60, grid = k * CELL;
        int width = left + grid + 90, height = top + grid + labelWidth + 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long v : confusion[t]) {
                row += v;
            }
            for (int p = 0; p < k; p++) {
                double share = row == 0 ? 0 : (double) confusion[t][p] / row;
                int x = left + p * CELL, y = top + t * CELL;
                g.setColor(mix(share));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                g.setFont(cellFont);
                centre(g, String.valueOf(Math.round(100 * share)), x + CELL / 2, y + CELL / 2);
            }
            g.setColor(Color.BLACK);
            g.setFont(labelFont);
            FontMetrics m = g.getFontMetrics();
            g.drawString(classNames.get(t), left - 8 - m.stringWidth(classNames.get(t)), top + t * CELL + CELL / 2 + m.getAscent() / 2 - 2);
            g.drawString("n = " + row, left + grid + 8, top + t * CELL + CELL / 2 + m.getAscent() / 2 - 2);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, grid, grid);
        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        AffineTransform straight = g.getTransform();
        for (int p = 0; p < k; p++) {
            g.setTransform(straight);
            g.translate(left + p * CELL + CELL / 2 + 4, top + grid + 8);
            g.rotate(Math.PI / 4);
            g.drawString(classNames.get(p), 0, 0);
        }
        g.setTransform(straight);
        g.drawString("predicted class →", left, height - 12);
        g.rotate(-Math.PI / 2);
        g.drawString("true class →", -(top + grid), 18);
        g.dispose();
        return image;
    }

    private static Color mix(double s) {
        return new Color((int) Math.round(LOW.getRed() + s * (HIGH.getRed() - LOW.getRed())),
                (int) Math.round(LOW.getGreen() + s * (HIGH.getGreen() - LOW.getGreen())),
                (int) Math.round(LOW.getBlue() + s * (HIGH.getBlue() - LOW.getBlue())));
    }

    private static void centre(Graphics2D g, String text, int x, int y) {
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, x - m.stringWidth(text) / 2, y + m.getAscent() / 2 - 2);
    }
}
