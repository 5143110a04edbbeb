package org.heatwave.kernels;

import org.heatwave.conv.Stencil;

/**
 * Separable stencils (seed 001's cheaper convolution models): every channel pair's {@code k × k}
 * stencil is an outer product {@code θ[o][c][dy][dx] = u[dy]·v[dx]}, {@code 2k} parameters per pair
 * laid out {@code [pair][u(k), v(k)]}. Bilinear, so the Jacobian depends on θ.
 */
public final class SeparableModel implements StencilModel {
    private final int cout;
    private final int cin;
    private final int k;

    public SeparableModel(int cout, int cin, int k) {
        Stencil.requireOdd(k);
        this.cout = cout;
        this.cin = cin;
        this.k = k;
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
        return k;
    }

    @Override
    public int paramCount() {
        return cout * cin * 2 * k;
    }

    @Override
    public void expand(double[] theta, int off, double[] full) {
        for (int pair = 0; pair < cout * cin; pair++) {
            int u = off + pair * 2 * k;
            int f = pair * k * k;
            for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                    full[f + dy * k + dx] = theta[u + dy] * theta[u + k + dx];
                }
            }
        }
    }

    @Override
    public void expandTangent(double[] theta, int off, double[] dtheta, int dOff, double[] dfull) {
        for (int pair = 0; pair < cout * cin; pair++) {
            int u = off + pair * 2 * k;
            int du = dOff + pair * 2 * k;
            int f = pair * k * k;
            for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                    dfull[f + dy * k + dx] = dtheta[du + dy] * theta[u + k + dx] + theta[u + dy] * dtheta[du + k + dx];
                }
            }
        }
    }

    @Override
    public void expandAdjoint(double[] theta, int off, double[] gFull, double[] grad, int gOff) {
        for (int pair = 0; pair < cout * cin; pair++) {
            int u = off + pair * 2 * k;
            int gu = gOff + pair * 2 * k;
            int f = pair * k * k;
            for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                    double g = gFull[f + dy * k + dx];
                    grad[gu + dy] += g * theta[u + k + dx];
                    grad[gu + k + dx] += g * theta[u + dy];
                }
            }
        }
    }

    /** Both factors ~ N(0, std): their products, the stencil entries, then have standard deviation std. */
    @Override
    public void init(double[] theta, int off, double std, java.util.SplittableRandom random) {
        double s = Math.sqrt(std);
        for (int i = 0; i < paramCount(); i++) {
            theta[off + i] = s * random.nextGaussian();
        }
    }

    @Override
    public String describe() {
        return "separable " + cout + "<-" + cin + " " + k + "x" + k;
    }
}
