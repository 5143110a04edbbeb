package org.heatwave.pipeline.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Images in a grid, each enlarged {@code scale} times with its caption under it (lines split at {@code \n}), e.g. the
 * misclassified test images of a model with their true and predicted classes. Images are {@code c × h × w} floats in
 * [0, 1], channels first, grey ({@code c = 1}) or R, G, B ({@code c = 3}) — the layout heatwave reads them in.
 */
public final class ImageGrid {
    private static final int GAP = 10;

    private ImageGrid() {
    }

    /**
     * @param images   each of {@code channels × height × width} values
     * @param captions one per image (may be empty strings); a caption whose first character is {@code '!'} is drawn
     *                 in red without it (e.g. a wrong prediction)
     * @param columns  images per row
     * @param scale    screen pixels per image pixel
     */
    public static BufferedImage draw(List<float[]> images, int channels, int height, int width, List<String> captions,
                                     int columns, int scale) {
        if (images.size() != captions.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + captions.size() + " captions");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 or 3 channels, got " + channels);
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
        int lines = 0;
        int cellWidth = width * scale;
        for (String c : captions) {
            String[] parts = c.split("\n", -1);
            lines = Math.max(lines, parts.length);
            for (String p : parts) {
                cellWidth = Math.max(cellWidth, fm.stringWidth(p));
            }
        }
        int cellHeight = height * scale + lines * fm.getHeight() + 4;
        int n = images.size();
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        BufferedImage out = new BufferedImage(GAP + cols * (cellWidth + GAP), GAP + rows * (cellHeight + GAP),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(font);
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            float[] px = images.get(i);
            if (px.length != channels * plane) {
                throw new IllegalArgumentException("image " + i + " has " + px.length + " values, a " + channels + "x"
                        + height + "x" + width + " image " + channels * plane);
            }
            int x0 = GAP + (i % cols) * (cellWidth + GAP) + (cellWidth - width * scale) / 2;
            int y0 = GAP + (i / cols) * (cellHeight + GAP);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int k = y * width + x;
                    int r = level(px[k]);
                    int rgb = channels == 1 ? r << 16 | r << 8 | r : r << 16 | level(px[plane + k]) << 8 | level(px[2 * plane + k]);
                    g.setColor(new Color(rgb));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
            String caption = captions.get(i);
            g.setColor(caption.startsWith("!") ? new Color(200, 0, 0) : Color.BLACK);
            String[] parts = (caption.startsWith("!") ? caption.substring(1) : caption).split("\n", -1);
            int cx = GAP + (i % cols) * (cellWidth + GAP);
            for (int l = 0; l < parts.length; l++) {
                g.drawString(parts[l], cx + (cellWidth - fm.stringWidth(parts[l])) / 2,
                        y0 + height * scale + 2 + fm.getAscent() + l * fm.getHeight());
            }
        }
        g.dispose();
        return out;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
