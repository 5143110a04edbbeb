package org.heatwave.tensor;

import java.util.Arrays;

/**
 * A float32 batch of images in the exchange layout {@code [n][c][h][w]}, contiguous and row-major: the
 * layout of datasets, files and the network's input.
 *
 * <p>Inside the network features are held as {@link FeatureMap}s (pixel-major, channels innermost), the
 * layout in which the discrete Fourier transform and the per-frequency channel mixing are dense vector
 * work; {@link #toFeatureMap()} converts.
 */
public final class Batch {
    private final Shape shape;
    private final float[] data;

    /**
     * Wraps {@code data} (not copied; the batch owns it from now on).
     *
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public Batch(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.size()
                    + " values but got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /** A zero batch. */
    public static Batch zeros(Shape shape) {
        return new Batch(shape, new float[Math.toIntExact(shape.size())]);
    }

    public Shape shape() {
        return shape;
    }

    /** The backing array, layout {@code [n][c][h][w]}; callers may modify it. */
    public float[] data() {
        return data;
    }

    /** Index of element {@code (i, ch, y, x)} in {@link #data()}. */
    public int index(int i, int ch, int y, int x) {
        return ((i * shape.c() + ch) * shape.h() + y) * shape.w() + x;
    }

    /** The images {@code indices[from … to)} of this batch, copied into a new batch in that order. */
    public Batch gather(int[] indices, int from, int to) {
        int size = shape.c() * shape.h() * shape.w();
        float[] out = new float[(to - from) * size];
        for (int k = from; k < to; k++) {
            int i = indices[k];
            if (i < 0 || i >= shape.n()) {
                throw new IllegalArgumentException("image " + i + " is outside this batch of " + shape.n());
            }
            System.arraycopy(data, i * size, out, (k - from) * size, size);
        }
        return new Batch(new Shape(to - from, shape.c(), shape.h(), shape.w()), out);
    }

    public float get(int i, int ch, int y, int x) {
        return data[index(i, ch, y, x)];
    }

    /** Converts to the network's internal layout {@code [h][w][n][c]}. */
    public FeatureMap toFeatureMap() {
        int n = shape.n(), c = shape.c(), hw = shape.pixels();
        FeatureMap f = new FeatureMap(shape.h(), shape.w(), n, c);
        float[] out = f.data();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (i * c + ch) * hw;
                int dst = i * c + ch;
                for (int p = 0; p < hw; p++) {
                    out[p * n * c + dst] = data[src + p];
                }
            }
        }
        return f;
    }

    /** Converts a feature map back to the exchange layout. */
    public static Batch fromFeatureMap(FeatureMap f) {
        Shape s = new Shape(f.n(), f.c(), f.h(), f.w());
        float[] out = new float[Math.toIntExact(s.size())];
        int n = f.n(), c = f.c(), hw = f.h() * f.w();
        float[] in = f.data();
        for (int p = 0; p < hw; p++) {
            for (int j = 0; j < n * c; j++) {
                out[j * hw + p] = in[p * n * c + j];
            }
        }
        return new Batch(s, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && b.shape.equals(shape) && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Batch[" + shape + "]";
    }
}
