package org.heatwave.segmentation;

import java.util.SplittableRandom;

/**
 * Synthetic segmentation data of the seeds' kind (seed 003, "synthetic Qtips data"; the figure is lost, so
 * the shapes are what the name says): each {@code h × w} image holds one to three cotton swabs — a thin
 * straight shaft (about 1.5 px wide) with a round tip (radius about 2 px) at each end — at random places,
 * angles and lengths, drawn with the same intensity 1 on a background of 0, plus Gaussian noise. The
 * labels are per pixel: 0 background, 1 shaft, 2 tip. A tip differs from a shaft only in its shape
 * around it, so telling them apart needs a field of view of several pixels — what the seed names as the
 * challenge (and the IMEX block's global coupling addresses).
 *
 * <p>Image {@code i} is a function of {@code (seed, i)} alone, so any split of a dataset across tasks
 * generates the same images.
 */
public final class Qtips {
    /** Classes: background, shaft, tip. */
    public static final int CLASSES = 3;
    public static final int BACKGROUND = 0;
    public static final int SHAFT = 1;
    public static final int TIP = 2;

    private final int h;
    private final int w;
    private final double noise;

    /**
     * @param h     image height (at least 12)
     * @param w     image width (at least 12)
     * @param noise standard deviation of the Gaussian noise added to every pixel
     */
    public Qtips(int h, int w, double noise) {
        if (h < 12 || w < 12) {
            throw new IllegalArgumentException("Q-tips need images of at least 12x12, got " + h + "x" + w);
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("noise must be >= 0, got " + noise);
        }
        this.h = h;
        this.w = w;
        this.noise = noise;
    }

    /** Images {@code first … first + n − 1}: pixels {@code [i][y][x]} and labels alike. */
    public Sample generate(long seed, int first, int n) {
        float[] pixels = new float[n * h * w];
        int[] labels = new int[n * h * w];
        for (int i = 0; i < n; i++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + first + i);
            draw(r, pixels, labels, i * h * w);
        }
        return new Sample(h, w, n, pixels, labels);
    }

    private void draw(SplittableRandom r, float[] pixels, int[] labels, int off) {
        int swabs = 1 + r.nextInt(3);
        double tipRadius = 2.0;
        double shaftHalfWidth = 0.75;
        for (int s = 0; s < swabs; s++) {
            double length = (0.35 + 0.35 * r.nextDouble()) * Math.min(h, w);
            double angle = Math.PI * r.nextDouble();
            double dx = Math.cos(angle) * length / 2;
            double dy = Math.sin(angle) * length / 2;
            double margin = tipRadius + 1;
            double cx = margin + Math.abs(dx) + r.nextDouble() * Math.max(0, w - 2 * (margin + Math.abs(dx)));
            double cy = margin + Math.abs(dy) + r.nextDouble() * Math.max(0, h - 2 * (margin + Math.abs(dy)));
            double ax = cx - dx;
            double ay = cy - dy;
            double bx = cx + dx;
            double by = cy + dy;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = off + y * w + x;
                    if (Math.hypot(x - ax, y - ay) <= tipRadius || Math.hypot(x - bx, y - by) <= tipRadius) {
                        labels[at] = TIP;
                        pixels[at] = 1;
                    } else if (labels[at] != TIP && distanceToSegment(x, y, ax, ay, bx, by) <= shaftHalfWidth) {
                        labels[at] = SHAFT;
                        pixels[at] = 1;
                    }
                }
            }
        }
        for (int p = 0; p < h * w; p++) {
            pixels[off + p] += (float) (noise * r.nextGaussian());
        }
    }

    private static double distanceToSegment(double x, double y, double ax, double ay, double bx, double by) {
        double vx = bx - ax;
        double vy = by - ay;
        double t = ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy);
        t = Math.max(0, Math.min(1, t));
        return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
    }

    /** Generated images ({@code pixels[i·h·w + y·w + x]}) and their labels (same layout). */
    public record Sample(int h, int w, int n, float[] pixels, int[] labels) {
    }
}
