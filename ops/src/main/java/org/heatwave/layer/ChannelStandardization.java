package org.heatwave.layer;

import java.util.Arrays;
import org.heatwave.tensor.FeatureMap;

/**
 * Per-channel standardisation of the input, {@code Y_c = (X_c − m_c) / s_c}, with fixed {@code m_c} and
 * {@code s_c > 0} (the mean and standard deviation of channel {@code c} over the training images, as the
 * "standardise the data" step that precedes the seeds' networks). No parameters: the statistics belong to the
 * model, not to θ, so a network keeps its parameter layout with or without this layer. Adjoint and tangent both
 * divide by {@code s_c}.
 */
public final class ChannelStandardization extends ParameterFreeLayer {
    private final double[] mean;
    private final double[] std;

    /**
     * @param mean one value per channel of {@code g}
     * @param std  one value per channel, each finite and positive
     */
    public ChannelStandardization(Geometry g, double[] mean, double[] std) {
        super(g, g, bound(check(g, mean, "mean"), check(g, std, "std")));
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("channel " + c + ": standardisation needs a finite mean and a positive,"
                        + " finite standard deviation, got mean " + mean[c] + " and std " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    private static double[] check(Geometry g, double[] values, String what) {
        if (values.length != g.c()) {
            throw new IllegalArgumentException("standardisation of " + g.c() + " channels needs " + g.c() + " values of "
                    + what + ", got " + values.length);
        }
        return values;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    @Override
    public String describe() {
        return "standardise " + input().c() + "ch: mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }

    private record Tr(FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }

    private static Bound bound(double[] mean, double[] std) {
        int c = mean.length;
        float[] shift = new float[c];
        float[] scale = new float[c];
        for (int i = 0; i < c; i++) {
            shift[i] = (float) mean[i];
            scale[i] = (float) (1 / std[i]);
        }
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                return new Tr(affine(y, shift, scale));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
                return affine(w, null, scale);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
                return affine(dy, null, scale);
            }
        };
    }

    /** {@code (y_c − shift_c) · scale_c} for every value of channel {@code c} (no shift if null). */
    private static FeatureMap affine(FeatureMap y, float[] shift, float[] scale) {
        FeatureMap out = y.zerosLike();
        float[] s = y.data(), d = out.data();
        int c = y.c();
        for (int i = 0; i < s.length; i += c) { // values are channel-fastest: pixel, sample, channel
            for (int j = 0; j < c; j++) {
                d[i + j] = shift == null ? s[i + j] * scale[j] : (s[i + j] - shift[j]) * scale[j];
            }
        }
        return out;
    }
}
