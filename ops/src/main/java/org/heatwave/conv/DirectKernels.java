package org.heatwave.conv;

import org.heatwave.simd.Simd;

/**
 * The inner product of {@link DirectConvolution}: for one output pixel, the {@code n × q} block
 * {@code Z_p = Σ_t X_{p+t} W_t} over the stencil taps t, where {@code X_{p+t}} is the {@code n × p}
 * block of the input pixel at offset t ({@code [n][c]}-contiguous, the {@link org.heatwave.tensor.FeatureMap}
 * layout) and {@code W_t} a {@code p × q} weight matrix. Every output element is accumulated with fused
 * multiply-adds over taps then input channels in ascending order, in both implementations (bit for bit).
 */
abstract class DirectKernels {
    private static final DirectKernels INSTANCE = Simd.load(DirectKernels.class, "org.heatwave.conv.VectorDirect", Plain::new);

    static DirectKernels get() {
        return INSTANCE;
    }

    static DirectKernels plain() {
        return new Plain();
    }

    /**
     * {@code z[z0 + i·q + b] = Σ_t Σ_a x[src[t] + i·p + a] · w[(t·p + a)·q + b]} for {@code i < n},
     * {@code b < q}; {@code col} is scratch of at least {@code n·taps·p} floats. The taps are gathered
     * side by side per example ({@link #gather}, zeros for negative sources), then multiplied by
     * {@link #pixelAt} — the same sums in the same order as reading them in place.
     */
    final void pixel(float[] x, int[] src, int taps, int n, int p, float[] w, int q, float[] z, int z0, float[] col) {
        int kk = taps * p;
        gather(x, src, taps, n, p, col);
        pixelAt(col, identity(kk), kk, n, kk, w, q, z, z0);
    }

    /** {@code 0, 1, …, len − 1} (at least): the offsets of a gathered row block. Shared, never written. */
    private static volatile int[] identity = new int[0];

    private static int[] identity(int len) {
        int[] id = identity;
        if (id.length < len) {
            id = new int[Math.max(len, 2 * id.length)];
            for (int j = 0; j < id.length; j++) {
                id[j] = j;
            }
            identity = id;
        }
        return id;
    }

    /**
     * {@link #pixel} without the gather, for a pixel whose taps all lie inside the image:
     * {@code z[z0 + i·q + b] = Σ_j x[off[j] + i·p] · w[j·q + b]} for {@code i < n}, {@code b < q}, where
     * {@code off[j]} ({@code j < kk}) is example 0's input value j — the same sums in the same order.
     */
    abstract void pixelAt(float[] x, int[] off, int kk, int n, int p, float[] w, int q, float[] z, int z0);

    /** Output channels {@code [b0, q)} of {@link #pixelAt}: the plain loops, also the vectorised tail. */
    static void pixelAtFrom(float[] x, int[] off, int kk, int n, int p, float[] w, int q, float[] z, int z0, int b0) {
        for (int i = 0; i < n; i++) {
            for (int b = b0; b < q; b++) {
                float s = 0f;
                for (int j = 0; j < kk; j++) {
                    s = Math.fma(x[off[j] + i * p], w[j * q + b], s);
                }
                z[z0 + i * q + b] = s;
            }
        }
    }

    /**
     * {@code col[i·taps·p + t·p + a] = x[src[t] + i·p + a]}: the pixel's taps side by side per example; a
     * negative {@code src[t]} (a tap outside a zero boundary, or off the stride lattice) reads zeros.
     */
    static void gather(float[] x, int[] src, int taps, int n, int p, float[] col) {
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < taps; t++) {
                int to = (i * taps + t) * p;
                if (src[t] >= 0) {
                    System.arraycopy(x, src[t] + i * p, col, to, p);
                } else {
                    java.util.Arrays.fill(col, to, to + p, 0f);
                }
            }
        }
    }

    /**
     * {@code acc[j] = fma(a[aOff + j], x[xOff + j], acc[j])} for {@code j < len}: one pixel row of a
     * {@link DepthwiseConv} tap. (C2 does not vectorise this loop by itself: {@code acc} and {@code x} might be
     * the same array.)
     */
    abstract void multiplyAdd(float[] a, int aOff, float[] x, int xOff, float[] acc, int len);

    static void multiplyAddFrom(float[] a, int aOff, float[] x, int xOff, float[] acc, int j0, int len) {
        for (int j = j0; j < len; j++) {
            acc[j] = Math.fma(a[aOff + j], x[xOff + j], acc[j]);
        }
    }

    private static final class Plain extends DirectKernels {
        @Override
        void pixelAt(float[] x, int[] off, int kk, int n, int p, float[] w, int q, float[] z, int z0) {
            pixelAtFrom(x, off, kk, n, p, w, q, z, z0, 0);
        }

        @Override
        void multiplyAdd(float[] a, int aOff, float[] x, int xOff, float[] acc, int len) {
            multiplyAddFrom(a, aOff, x, xOff, acc, 0, len);
        }
    }
}
