package org.heatwave.tensor;

/** Conversions between the float64 parameter vector and float32 working copies. */
public final class Floats {
    private Floats() {
    }

    /** {@code len} values of {@code src} from {@code off}, rounded to float. */
    public static float[] of(double[] src, int off, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) src[off + i];
        }
        return v;
    }

    /** {@code acc[i] += v[i]} for all i. */
    public static void addInPlace(float[] acc, float[] v) {
        if (acc.length != v.length) {
            throw new IllegalArgumentException("cannot add " + v.length + " values to " + acc.length);
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += v[i];
        }
    }
}
