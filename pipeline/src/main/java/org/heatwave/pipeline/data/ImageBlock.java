package org.heatwave.pipeline.data;

import java.io.Serializable;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * A contiguous block of labelled images, the unit cached on Spark executors: records
 * {@code [first, first + count)} of a dataset, pixels in {@code [n][c][h][w]} layout scaled to [0, 1].
 */
public record ImageBlock(int first, int count, int channels, int height, int width, float[] pixels, int[] labels)
        implements Serializable {

    public ImageBlock {
        if (pixels.length != (long) count * channels * height * width || labels.length != count) {
            throw new IllegalArgumentException("block of " + count + " images of " + channels + "x" + height + "x" + width
                    + " got " + pixels.length + " pixels and " + labels.length + " labels");
        }
    }

    /** Whether the global record index {@code i} lies in this block. */
    public boolean contains(int i) {
        return i >= first && i < first + count;
    }

    /** The images with global indices {@code sortedIndices[from … to)} (all inside this block) as a batch. */
    public Batch gather(int[] sortedIndices, int from, int to) {
        int per = channels * height * width;
        float[] out = new float[(to - from) * per];
        for (int k = from; k < to; k++) {
            System.arraycopy(pixels, (sortedIndices[k] - first) * per, out, (k - from) * per, per);
        }
        return new Batch(new Shape(to - from, channels, height, width), out);
    }

    /** Labels of the same records as {@link #gather}. */
    public int[] gatherLabels(int[] sortedIndices, int from, int to) {
        int[] out = new int[to - from];
        for (int k = from; k < to; k++) {
            out[k - from] = labels[sortedIndices[k] - first];
        }
        return out;
    }

    /** Records {@code [from, to)} (global indices, inside this block) as a block of their own. */
    public ImageBlock range(int from, int to) {
        if (from < first || to > first + count || from > to) {
            throw new IllegalArgumentException("records [" + from + ", " + to + ") are not inside block [" + first + ", "
                    + (first + count) + ")");
        }
        int per = channels * height * width;
        return new ImageBlock(from, to - from, channels, height, width,
                java.util.Arrays.copyOfRange(pixels, (from - first) * per, (to - first) * per),
                java.util.Arrays.copyOfRange(labels, from - first, to - first));
    }

    /** The same records numbered from {@code newFirst} (a part's block placed inside a concatenation). */
    public ImageBlock numberedFrom(int newFirst) {
        return new ImageBlock(newFirst, count, channels, height, width, pixels, labels);
    }

    /**
     * Per channel, the sum of its values over the block's images, then per channel the sum of their squares:
     * {@code 2 × channels} values, added in record and pixel order.
     */
    public double[] channelSums() {
        int plane = height * width;
        double[] sums = new double[2 * channels];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                double s = 0, q = 0;
                for (int k = (i * channels + c) * plane, end = k + plane; k < end; k++) {
                    double v = pixels[k];
                    s += v;
                    q += v * v;
                }
                sums[c] += s;
                sums[channels + c] += q;
            }
        }
        return sums;
    }

    /** Records {@code [from, to)} of this block (local positions) as a batch. */
    public Batch slice(int from, int to) {
        int per = channels * height * width;
        float[] out = java.util.Arrays.copyOfRange(pixels, from * per, to * per);
        return new Batch(new Shape(to - from, channels, height, width), out);
    }
}
