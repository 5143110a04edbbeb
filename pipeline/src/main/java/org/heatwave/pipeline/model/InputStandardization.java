package org.heatwave.pipeline.model;

import java.util.Arrays;
import org.heatwave.layer.ChannelStandardization;
import org.heatwave.layer.Geometry;

/**
 * What a model does to its input before the first layer: nothing ({@link #NONE}), or per-channel standardisation
 * {@code (x_c − mean_c) / std_c} with the statistics of the training images ({@code model.input-standardization =
 * per-channel}). Part of the model: saved with it and applied by every prediction path through the network
 * ({@link ChannelStandardization}), so images are always given to a model as they were read (scaled to [0, 1]).
 */
public record InputStandardization(double[] mean, double[] std) implements java.io.Serializable {
    /** The identity: images go to the first layer as they were read. */
    public static final InputStandardization NONE = new InputStandardization(new double[0], new double[0]);

    public InputStandardization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("standardisation needs as many means as standard deviations, got "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("channel " + c + ": standardisation needs a finite mean and a positive,"
                        + " finite standard deviation, got mean " + mean[c] + " and std " + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The standardisation for channels of these sums over {@code count} values each; a channel that does not vary
     * (standard deviation 0) is only shifted.
     *
     * @param sums    per channel, the sum of its values
     * @param squares per channel, the sum of its squared values
     */
    public static InputStandardization ofSums(double[] sums, double[] squares, long count) {
        double[] mean = new double[sums.length];
        double[] std = new double[sums.length];
        for (int c = 0; c < sums.length; c++) {
            mean[c] = sums[c] / count;
            double variance = Math.max(0, squares[c] / count - mean[c] * mean[c]);
            std[c] = variance > 0 ? Math.sqrt(variance) : 1;
        }
        return new InputStandardization(mean, std);
    }

    public boolean isNone() {
        return mean.length == 0;
    }

    /** The layer applying it to images of {@code g} (whose channel count it must match). */
    ChannelStandardization layer(Geometry g) {
        return new ChannelStandardization(g, mean, std);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputStandardization s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "per-channel mean " + format(mean) + " std " + format(std);
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4g", v[i]));
        }
        return b.append(']').toString();
    }
}
