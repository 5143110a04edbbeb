package org.heatwave.pipeline.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Segmentations side by side as a PNG: per example a row of the input image (grey), the true labels and
 * each model's predicted labels (background dark, shaft blue, tip orange), each pixel drawn as a square.
 */
public final class SegmentationFigure {
    private static final Color[] LABELS = {new Color(0x202020), new Color(0x1f77b4), new Color(0xff7f0e)};
    private static final int SCALE = 6;
    private static final int GAP = 8;
    private static final int HEADER = 22;

    private SegmentationFigure() {
    }

    /**
     * @param pixels  input images {@code [i][y][x]}
     * @param columns titles and label maps {@code [i][y][x]} of the columns after the input
     */
    public static byte[] png(int h, int w, int examples, float[] pixels, List<String> titles, List<int[]> columns)
            throws IOException {
        int cols = 1 + columns.size();
        int cw = w * SCALE;
        int ch = h * SCALE;
        BufferedImage img = new BufferedImage(cols * (cw + GAP) + GAP, HEADER + examples * (ch + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("input", GAP, 16);
        for (int c = 0; c < columns.size(); c++) {
            g.drawString(titles.get(c), GAP + (c + 1) * (cw + GAP), 16);
        }
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < examples * h * w; i++) {
            lo = Math.min(lo, pixels[i]);
            hi = Math.max(hi, pixels[i]);
        }
        for (int i = 0; i < examples; i++) {
            int y0 = HEADER + GAP + i * (ch + GAP);
            for (int p = 0; p < h * w; p++) {
                int x = GAP + (p % w) * SCALE;
                int y = y0 + (p / w) * SCALE;
                float v = (pixels[i * h * w + p] - lo) / Math.max(1e-6f, hi - lo);
                g.setColor(new Color(v, v, v));
                g.fillRect(x, y, SCALE, SCALE);
                for (int c = 0; c < columns.size(); c++) {
                    g.setColor(LABELS[columns.get(c)[i * h * w + p]]);
                    g.fillRect(x + (c + 1) * (cw + GAP), y, SCALE, SCALE);
                }
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
