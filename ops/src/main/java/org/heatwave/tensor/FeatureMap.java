package org.heatwave.tensor;

import java.util.Arrays;

/**
 * Float32 features of a batch inside the network, layout {@code [h][w][n][c]}: pixel-major, and within a
 * pixel the {@code n × c} block of (example, channel) values is contiguous.
 *
 * <p>Why this layout: the 2-D DFT ({@link org.heatwave.fft.Dft2}) transforms all {@code n·c} planes at
 * once with long unit-stride vector loops, and its output is already in the per-frequency
 * {@code [batch × channel]} blocks that the channel mixing multiplies (DESIGN.md §6). Pointwise maps,
 * normalisation and pooling are equally simple in it.
 *
 * <p>Element {@code (y, x, i, ch)} is at {@code ((y·w + x)·n + i)·c + ch}.
 */
public final class FeatureMap {
    private final int h;
    private final int w;
    private final int n;
    private final int c;
    private final float[] data;

    /** A zero feature map. */
    public FeatureMap(int h, int w, int n, int c) {
        this(h, w, n, c, new float[checkedSize(h, w, n, c)]);
    }

    /** Wraps {@code data} (not copied). */
    public FeatureMap(int h, int w, int n, int c, float[] data) {
        if (data.length != checkedSize(h, w, n, c)) {
            throw new IllegalArgumentException("feature map " + h + "x" + w + " with " + n + " examples of "
                    + c + " channels needs " + checkedSize(h, w, n, c) + " values but got " + data.length);
        }
        this.h = h;
        this.w = w;
        this.n = n;
        this.c = c;
        this.data = data;
    }

    private static int checkedSize(int h, int w, int n, int c) {
        if (h <= 0 || w <= 0 || n < 0 || c <= 0) {
            throw new IllegalArgumentException("invalid feature map " + h + "x" + w + "x" + n + "x" + c);
        }
        return Math.multiplyExact(Math.multiplyExact(h, w), Math.multiplyExact(n, c));
    }

    public int h() {
        return h;
    }

    public int w() {
        return w;
    }

    public int n() {
        return n;
    }

    public int c() {
        return c;
    }

    /** Number of pixels per plane. */
    public int pixels() {
        return h * w;
    }

    /** The backing array; callers may modify it. */
    public float[] data() {
        return data;
    }

    /** A zero map of the same dimensions. */
    public FeatureMap zerosLike() {
        return new FeatureMap(h, w, n, c);
    }

    /** A deep copy. */
    public FeatureMap copy() {
        return new FeatureMap(h, w, n, c, data.clone());
    }

    /** Whether {@code other} has the same dimensions. */
    public boolean sameDims(FeatureMap other) {
        return other.h == h && other.w == w && other.n == n && other.c == c;
    }

    /** Throws with both shapes in the message unless {@code other} has the same dimensions. */
    public void requireSameDims(FeatureMap other, String what) {
        if (!sameDims(other)) {
            throw new IllegalArgumentException(what + ": expected " + dims() + " but got " + other.dims());
        }
    }

    /** The dimensions as text, {@code h x w, n x c}. */
    public String dims() {
        return h + "x" + w + " px, " + n + " examples x " + c + " channels";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureMap f && sameDims(f) && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FeatureMap[" + dims() + "]";
    }
}
