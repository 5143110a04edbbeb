package org.heatwave.opt;

/**
 * Adam (Kingma and Ba, 2015), a baseline for issue 5: {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code x ← x − η m̂/(√v̂ + ε)} with the bias corrections {@code m̂ = m/(1−β₁ᵗ)}, {@code v̂ = v/(1−β₂ᵗ)}.
 * State explicit: both moment estimates and the step count.
 */
public final class Adam implements UpdateRule<Adam.State> {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    /** The paper's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    public Adam() {
        this(0.9, 0.999, 1e-8);
    }

    public Adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0; got " + beta1 + ", "
                    + beta2 + ", " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** First and second moment estimates and the number of steps taken. */
    public record State(double[] m, double[] v, long step) implements java.io.Serializable {
    }

    @Override
    public State initial(int n) {
        return new State(new double[n], new double[n], 0);
    }

    @Override
    public State step(double[] x, double[] g, State s, double lr) {
        if (g.length != x.length || s.m().length != x.length) {
            throw new IllegalArgumentException("Adam step on " + x.length + " parameters got a gradient of " + g.length
                    + " and state of " + s.m().length);
        }
        long t = s.step() + 1;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        double[] m = s.m(), v = s.v();
        for (int i = 0; i < x.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            x[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
        }
        return new State(m, v, t);
    }

    @Override
    public OptimizerState save(State state, String optimizer, long iteration, long examples) {
        return new OptimizerState(optimizer, iteration, examples, java.util.Map.of("step", (double) state.step()),
                java.util.Map.of("m", state.m().clone(), "v", state.v().clone()));
    }

    @Override
    public State restore(OptimizerState saved) {
        return new State(saved.vector("m").clone(), saved.vector("v").clone(), (long) saved.scalar("step"));
    }
}
