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
public final class FeatureMap implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

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

    /** The bytes of its values ({@code 4·h·w·n·c}). */
    public long bytes() {
        return 4L * data.length;
    }

    /** A zero map of the same dimensions. */
    public FeatureMap zerosLike() {
        return new FeatureMap(h, w, n, c);
    }

    /** A deep copy. */
    public FeatureMap copy() {
        return new FeatureMap(h, w, n, c, data.clone());
    }

    /** {@code a} times this map, as a new map. */
    public FeatureMap scaled(float a) {
        FeatureMap out = copy();
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] *= a;
        }
        return out;
    }

    /**
     * This map embedded in an {@code h × w} one with zeros below and to the right (the zero boundary
     * condition as a periodic one on a larger domain); {@code h ≥ h()} and {@code w ≥ w()}.
     */
    public FeatureMap padded(int h, int w) {
        if (h < this.h || w < this.w) {
            throw new IllegalArgumentException("cannot pad " + dims() + " to " + h + "x" + w);
        }
        FeatureMap out = new FeatureMap(h, w, n, c);
        int row = this.w * n * c;
        for (int y = 0; y < this.h; y++) {
            System.arraycopy(data, y * row, out.data, y * w * n * c, row);
        }
        return out;
    }

    /** The top-left {@code h × w} pixels (the inverse of {@link #padded} and its transpose). */
    public FeatureMap cropped(int h, int w) {
        if (h > this.h || w > this.w) {
            throw new IllegalArgumentException("cannot crop " + dims() + " to " + h + "x" + w);
        }
        FeatureMap out = new FeatureMap(h, w, n, c);
        int row = w * n * c;
        for (int y = 0; y < h; y++) {
            System.arraycopy(data, y * this.w * n * c, out.data, y * row, row);
        }
        return out;
    }

    /** Every {@code s}-th pixel in both directions, starting at (0, 0): {@code ⌈h/s⌉ × ⌈w/s⌉} pixels. */
    public FeatureMap strided(int s) {
        int oh = (h + s - 1) / s;
        int ow = (w + s - 1) / s;
        FeatureMap out = new FeatureMap(oh, ow, n, c);
        int nc = n * c;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                System.arraycopy(data, ((s * y) * w + s * x) * nc, out.data, (y * ow + x) * nc, nc);
            }
        }
        return out;
    }

    /** The transpose of {@link #strided}: this map's pixels at every {@code s}-th pixel of an {@code h × w} map of zeros. */
    public FeatureMap unstrided(int s, int h, int w) {
        if ((h + s - 1) / s != this.h || (w + s - 1) / s != this.w) {
            throw new IllegalArgumentException(dims() + " is not the stride-" + s + " sampling of " + h + "x" + w);
        }
        FeatureMap out = new FeatureMap(h, w, n, c);
        int nc = n * c;
        for (int y = 0; y < this.h; y++) {
            for (int x = 0; x < this.w; x++) {
                System.arraycopy(data, (y * this.w + x) * nc, out.data, ((s * y) * w + s * x) * nc, nc);
            }
        }
        return out;
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
