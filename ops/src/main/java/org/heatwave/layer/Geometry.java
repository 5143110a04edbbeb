package org.heatwave.layer;

/**
 * The per-example shape of features between layers: {@code c} channels of {@code h × w} pixels.
 */
public record Geometry(int h, int w, int c) {
    public Geometry {
        if (h <= 0 || w <= 0 || c <= 0) {
            throw new IllegalArgumentException("invalid geometry " + c + "x" + h + "x" + w);
        }
    }

    @Override
    public String toString() {
        return c + "x" + h + "x" + w;
    }
}
