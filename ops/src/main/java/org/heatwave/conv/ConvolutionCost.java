package org.heatwave.conv;

/**
 * The cost model behind {@link Convolution.Method#choose}: the predicted time of one training use of a
 * {@code k × k} convolution — forward, transpose and θ-gradient on a batch — by the FFT path and by the
 * direct method, from counts of the work each does:
 *
 * <pre>FFT     ≈ 3 · n · [ T · (c_in + c_out) · P · (p_h + p_w)  +  M · c_in · c_out · P ]       P = p_h · p_w
 * direct  ≈ n · D(c) · k² · c_in · c_out · (2 · h_o · w_o + h · w)      (stride 1)
 *         ≈ n · D(c) · k² · c_in · c_out · 4 · h_o · w_o                  (stride s &gt; 1)</pre>
 *
 * where {@code p_h × p_w} is the FFT's working domain (padded for zero boundaries; the dense DFT costs
 * {@code p_h + p_w} per point and channel), {@code h_o × w_o} the kept output pixels (the direct forward and
 * gradient skip what a stride drops; with a stride the transpose scatters from the kept pixels, and its
 * scatter-adds cost about as much again as its products), and {@code D(c)} the direct kernels' time per
 * multiply-add: lower when both channel counts are multiples of 32 floats (whole register blocks of two or
 * four 16-lane vectors) than at multiples of 16. Other channel counts run part of the direct work in plain
 * loops, so they go to the FFT path. The constants were fitted to measured times on the reference machine
 * (BENCHMARKS.md, "Choosing the method"); the direct method is taken unless the FFT is predicted faster
 * by a {@link #MARGIN}, or the image is small ({@link #SMALLEST_DIRECT_SIDE}). On the 112 measured shapes
 * (3×3 and 5×5, periodic and zero boundaries, stride 1 and 2, 7–56 px, widths 16–128) the choice is never
 * more than 1.5 % slower than the faster method, and in total within 0.1 % of always picking the faster
 * one (FFT only: 1.69×, direct only: 1.28×).
 *
 * <p>The choice depends on the shape only — not on the machine, its vector width or whether the Vector
 * API is present — so every executor of a job computes a layer the same way and a seed fixes the result.
 */
final class ConvolutionCost {
    /** Seconds per DFT point, channel and row-or-column length (forward and inverse transforms). */
    static final double TRANSFORM = 7.3e-11;
    /** Seconds per frequency and channel pair (the complex mixing). */
    static final double MIXING = 2.0e-10;
    /** Seconds per direct multiply-add: both channel counts multiples of 32, or of 16. */
    static final double DIRECT_32 = 2.5e-11;
    static final double DIRECT_16 = 4.5e-11;
    /** The FFT is chosen only when predicted faster than this fraction of the direct time. */
    static final double MARGIN = 0.9;
    /** Channel counts the direct kernels handle entirely in vector registers (16 floats: one AVX-512 vector). */
    static final int VECTOR = 16;
    /**
     * Images with a side below this go to the FFT unless the stencil is 3×3 with a zero boundary or a
     * stride: there the FFT works on the image itself and the direct method's per-example set-up (copies
     * of each example, short pixel loops) costs 1.2–1.3× (3×3) and 1.6–2× (5×5) what the model says
     * (measured at 7×7); with a zero boundary or a stride the FFT pays for the padding or the full-size
     * output, and the direct method is faster (1.03–1.6×).
     */
    static final int SMALLEST_DIRECT_SIDE = 10;

    private ConvolutionCost() {
    }

    /** Predicted seconds per example for forward, transpose and θ-gradient by the FFT path. */
    static double fft(int cout, int cin, int k, int h, int w, Boundary boundary) {
        int r = (k - 1) / 2;
        double ph = boundary == Boundary.ZERO ? h + r : h;
        double pw = boundary == Boundary.ZERO ? w + r : w;
        double points = ph * pw;
        return 3 * (TRANSFORM * (cin + cout) * points * (ph + pw) + MIXING * (double) cin * cout * points);
    }

    /**
     * Predicted seconds per example for forward, transpose and θ-gradient by the direct method, or
     * infinity when a channel count is not a multiple of {@link #VECTOR}.
     */
    static double direct(int cout, int cin, int k, int h, int w, int stride) {
        if (cin % VECTOR != 0 || cout % VECTOR != 0) {
            return Double.POSITIVE_INFINITY;
        }
        double weights = (double) k * k * cin * cout;
        double perMac = cin % (2 * VECTOR) == 0 && cout % (2 * VECTOR) == 0 ? DIRECT_32 : DIRECT_16;
        double ho = (h + stride - 1) / stride;
        double wo = (w + stride - 1) / stride;
        return perMac * weights * (2 * ho * wo + (stride == 1 ? (double) h * w : 2 * ho * wo));
    }

    static boolean directIsFaster(int cout, int cin, int k, int h, int w, Boundary boundary, int stride) {
        boolean small = Math.min(h, w) < SMALLEST_DIRECT_SIDE
                && !(k == 3 && (boundary == Boundary.ZERO || stride > 1));
        return !small && fft(cout, cin, k, h, w, boundary) >= MARGIN * direct(cout, cin, k, h, w, stride);
    }
}
