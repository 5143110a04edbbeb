package org.heatwave.reg;

/**
 * {@code R(θ) = ½ λ Σ θ_i²} over the parameters a mask selects (seed 001: {@code R(W) = ½‖W‖²_F}) — the
 * weight decay of the stencils and weights ({@link org.heatwave.net.Network#weightDecayMask()}).
 */
public final class Tikhonov implements Regularizer {
    private final double lambda;
    private final boolean[] mask;
    private final String on;

    public Tikhonov(double lambda, boolean[] mask) {
        this(lambda, mask, null);
    }

    /** As {@link #Tikhonov(double, boolean[])}, {@code on} naming the parameters the mask selects in {@link #describe()}. */
    public Tikhonov(double lambda, boolean[] mask, String on) {
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("a Tikhonov weight must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.mask = mask.clone();
        this.on = on;
    }

    @Override
    public String describe() {
        return "tikhonov λ=" + lambda + (on == null ? "" : " on " + on);
    }

    @Override
    public double addGradient(double[] theta, double[] grad) {
        double r = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                r += theta[i] * theta[i];
                grad[i] += lambda * theta[i];
            }
        }
        return 0.5 * lambda * r;
    }

    @Override
    public void addHessianProduct(double[] theta, double[] v, double[] out) {
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out[i] += lambda * v[i];
            }
        }
    }
}
