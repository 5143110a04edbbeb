package org.heatwave.linalg;

/** The few float64 vector operations the solvers and optimisers use. */
public final class Vectors {
    private Vectors() {
    }

    public static double dot(double[] a, double[] b) {
        requireSameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code y ← y + a·x}. */
    public static void axpy(double a, double[] x, double[] y) {
        requireSameLength(x, y);
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@code x + a·d}, a new vector. */
    public static double[] plus(double[] x, double a, double[] d) {
        double[] y = x.clone();
        axpy(a, d, y);
        return y;
    }

    /** {@code a·x}, a new vector. */
    public static double[] scaled(double a, double[] x) {
        double[] y = new double[x.length];
        axpy(a, x, y);
        return y;
    }

    /** {@code x − y}, a new vector. */
    public static double[] minus(double[] x, double[] y) {
        double[] d = x.clone();
        axpy(-1, y, d);
        return d;
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of lengths " + a.length + " and " + b.length);
        }
    }
}
