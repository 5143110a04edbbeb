package org.heatwave.reg;

/**
 * Smoothness of a block's weights in time (seed 003: "regularization: smoothness in time (tv
 * regularizer)"; stability needs weights that change slowly): for {@code steps} parameter sets of
 * {@code p} values from {@code offset} (one per time step, step size {@code h}), with
 * {@code Δ_j = θ_{j+1} − θ_j},
 *
 * <pre>quadratic:  R = ½ λ Σ_j ‖Δ_j‖² / h            (the H¹ semi-norm of θ(t))
 * smoothed TV: R = λ Σ_j sqrt(‖Δ_j‖² + ε²)        (total variation of θ(t), smoothed at ε)</pre>
 *
 * The seeds give no formula; these are the two standard choices.
 */
public final class TimeSmoothness implements Regularizer {
    /** The two forms. */
    public enum Kind { QUADRATIC, TOTAL_VARIATION }

    private final Kind kind;
    private final double lambda;
    private final int offset;
    private final int steps;
    private final int p;
    private final double h;
    private final double epsilon;

    public TimeSmoothness(Kind kind, double lambda, int offset, int steps, int p, double h, double epsilon) {
        if (!(lambda >= 0) || !(h > 0) || !(epsilon > 0)) {
            throw new IllegalArgumentException("time smoothness needs λ >= 0, h > 0 and ε > 0, got λ=" + lambda + " h="
                    + h + " ε=" + epsilon);
        }
        this.kind = kind;
        this.lambda = lambda;
        this.offset = offset;
        this.steps = steps;
        this.p = p;
        this.h = h;
        this.epsilon = epsilon;
    }

    @Override
    public String describe() {
        return (kind == Kind.QUADRATIC ? "quadratic" : "smoothed-TV (ε=" + epsilon + ")") + " smoothness in time λ="
                + lambda + " over " + steps + " steps";
    }

    @Override
    public double addGradient(double[] theta, double[] grad) {
        double r = 0;
        double[] d = new double[p];
        for (int j = 0; j + 1 < steps; j++) {
            int a = offset + j * p;
            int b = a + p;
            double sq = 0;
            for (int i = 0; i < p; i++) {
                d[i] = theta[b + i] - theta[a + i];
                sq += d[i] * d[i];
            }
            double weight;
            if (kind == Kind.QUADRATIC) {
                r += 0.5 * lambda * sq / h;
                weight = lambda / h;
            } else {
                double norm = Math.sqrt(sq + epsilon * epsilon);
                r += lambda * norm;
                weight = lambda / norm;
            }
            for (int i = 0; i < p; i++) {
                grad[b + i] += weight * d[i];
                grad[a + i] -= weight * d[i];
            }
        }
        return r;
    }

    /**
     * Per difference {@code Δ_j} and {@code u = v_{j+1} − v_j}: quadratic {@code (λ/h) u}; smoothed TV
     * {@code λ (u/r − Δ (Δᵀu)/r³)} with {@code r = sqrt(‖Δ‖² + ε²)} (the Hessian of {@code λr}, positive
     * semi-definite), added to {@code out_{j+1}} and subtracted from {@code out_j}.
     */
    @Override
    public void addHessianProduct(double[] theta, double[] v, double[] out) {
        double[] d = new double[p];
        double[] u = new double[p];
        for (int j = 0; j + 1 < steps; j++) {
            int a = offset + j * p;
            int b = a + p;
            double sq = 0;
            double du = 0;
            for (int i = 0; i < p; i++) {
                d[i] = theta[b + i] - theta[a + i];
                u[i] = v[b + i] - v[a + i];
                sq += d[i] * d[i];
                du += d[i] * u[i];
            }
            double r = Math.sqrt(sq + epsilon * epsilon);
            for (int i = 0; i < p; i++) {
                double hu = kind == Kind.QUADRATIC ? lambda / h * u[i] : lambda * (u[i] / r - d[i] * du / (r * r * r));
                out[b + i] += hu;
                out[a + i] -= hu;
            }
        }
    }
}
