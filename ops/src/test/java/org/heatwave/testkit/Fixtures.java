package org.heatwave.testkit;

import java.util.SplittableRandom;
import org.heatwave.tensor.FeatureMap;

/** Seeded random fixtures for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A feature map of standard normal values. */
    public static FeatureMap normal(int h, int w, int n, int c, long seed) {
        FeatureMap f = new FeatureMap(h, w, n, c);
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) gaussian(r);
        }
        return f;
    }

    /** A vector of standard normal values times {@code scale}. */
    public static double[] normal(int size, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = scale * gaussian(r);
        }
        return v;
    }

    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** {@code Σ a_i b_i} in float64. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code Σ a_i b_i} in float64. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Largest absolute difference relative to the largest absolute value of {@code expected}. */
    public static double relativeMaxError(float[] expected, float[] actual) {
        double maxDiff = 0, maxVal = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxVal = Math.max(maxVal, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(maxVal, Double.MIN_NORMAL);
    }

    /** Largest absolute difference relative to the largest absolute value of {@code expected}. */
    public static double relativeMaxError(double[] expected, double[] actual) {
        double maxDiff = 0, maxVal = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxVal = Math.max(maxVal, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(maxVal, Double.MIN_NORMAL);
    }
}
