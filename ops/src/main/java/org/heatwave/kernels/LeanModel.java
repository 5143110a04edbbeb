package org.heatwave.kernels;

/**
 * The lean layer's operator (seed 003, "lean ResNets"): a depthwise stencil {@code D} (one stencil per
 * input channel, no coupling) followed by a 1×1 channel coupling {@code C}:
 *
 * <pre>K = C·D,   θ_full[o][c][d] = C[o][c] · D[c][d]</pre>
 *
 * Parameters: the depthwise model's (a full {@code k × k} or a 5-point stencil per channel), then
 * {@code C} row-major ({@code c_out × c_in}). Bilinear in {@code (D, C)}: far fewer parameters than a
 * full stencil ({@code c_in·5 + c_out·c_in} against {@code c_out·c_in·9}) and a cheaper operator.
 */
public final class LeanModel implements StencilModel {
    private final int cout;
    private final int cin;
    private final LinearStencilModel depthwise;
    private final int[] activeTaps;

    /**
     * @param fivePoint 5-point depthwise stencils (3×3 with zero corners, seed 003) rather than full
     *                  {@code k × k} ones
     */
    public LeanModel(int cout, int cin, int k, boolean fivePoint) {
        if (fivePoint && k != 3) {
            throw new IllegalArgumentException("5-point stencils are 3x3, not " + k + "x" + k);
        }
        this.cout = cout;
        this.cin = cin;
        this.depthwise = fivePoint ? StencilModels.depthwiseFivePoint(cin) : StencilModels.diagonal(cin, k);
        this.activeTaps = fivePoint ? StencilModels.fivePointTaps() : java.util.stream.IntStream.range(0, k * k).toArray();
    }

    /**
     * The taps {@code dy·k + dx} of each depthwise stencil, in the order of its parameters: channel
     * {@code c}'s tap {@code activeTaps()[t]} is {@code θ[c·taps + t]}, and {@code C[o][c]} is
     * {@code θ[depthwiseCount() + o·c_in + c]} — what a factored operator ({@code D} then {@code C}) reads.
     */
    public int[] activeTaps() {
        return activeTaps.clone();
    }

    /** Number of depthwise parameters, {@code c_in · taps}; the coupling follows them. */
    public int depthwiseCount() {
        return depthwise.paramCount();
    }

    @Override
    public int cout() {
        return cout;
    }

    @Override
    public int cin() {
        return cin;
    }

    @Override
    public int stencilSize() {
        return depthwise.stencilSize();
    }

    @Override
    public int paramCount() {
        return depthwise.paramCount() + cout * cin;
    }

    @Override
    public void expand(double[] theta, int off, double[] full) {
        double[] d = new double[depthwise.fullCount()];
        depthwise.expand(theta, off, d);
        combine(d, theta, off + depthwise.paramCount(), full);
    }

    @Override
    public void expandTangent(double[] theta, int off, double[] dtheta, int dOff, double[] dfull) {
        double[] d = new double[depthwise.fullCount()];
        double[] dd = new double[depthwise.fullCount()];
        depthwise.expand(theta, off, d);
        depthwise.expand(dtheta, dOff, dd);
        combine(dd, theta, off + depthwise.paramCount(), dfull);
        double[] second = new double[fullCount()];
        combine(d, dtheta, dOff + depthwise.paramCount(), second);
        for (int i = 0; i < fullCount(); i++) {
            dfull[i] += second[i];
        }
    }

    @Override
    public void expandAdjoint(double[] theta, int off, double[] gFull, double[] grad, int gOff) {
        int taps = stencilSize() * stencilSize();
        double[] d = new double[depthwise.fullCount()];
        depthwise.expand(theta, off, d);
        int cOff = off + depthwise.paramCount();
        double[] gd = new double[depthwise.fullCount()];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                double coupling = theta[cOff + o * cin + c];
                int f = (o * cin + c) * taps;
                int dc = (c * cin + c) * taps;
                double s = 0;
                for (int t = 0; t < taps; t++) {
                    s += gFull[f + t] * d[dc + t];
                    gd[dc + t] += gFull[f + t] * coupling;
                }
                grad[gOff + depthwise.paramCount() + o * cin + c] += s;
            }
        }
        depthwise.expandAdjoint(theta, off, gd, grad, gOff);
    }

    /** {@code full[o][c][t] = C[o][c]·D[c][c][t]} with C read from {@code coupling[cOff …]}. */
    private void combine(double[] d, double[] coupling, int cOff, double[] full) {
        int taps = stencilSize() * stencilSize();
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                double w = coupling[cOff + o * cin + c];
                int f = (o * cin + c) * taps;
                int dc = (c * cin + c) * taps;
                for (int t = 0; t < taps; t++) {
                    full[f + t] = w * d[dc + t];
                }
            }
        }
    }

    /** Depthwise stencils ~ N(0, 1), coupling ~ N(0, std): the products have standard deviation std. */
    @Override
    public void init(double[] theta, int off, double std, java.util.SplittableRandom random) {
        int d = depthwise.paramCount();
        for (int i = 0; i < paramCount(); i++) {
            theta[off + i] = (i < d ? 1 : std) * random.nextGaussian();
        }
    }

    @Override
    public String describe() {
        return "lean (" + depthwise.describe() + " then 1x1 " + cout + "<-" + cin + ")";
    }
}
