package org.heatwave.opt;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, in the convention of the common frameworks:
 * {@code v ← μ v + g}, {@code θ ← θ − η v} — or with Nesterov momentum {@code θ ← θ − η (g + μ v)} — with
 * weight decay {@code g ← g + λ θ} on the masked parameters. The optimiser holds no hidden state: the
 * momentum buffer and iteration count are an explicit {@link State} value, so a checkpoint can save them
 * and a resumed run continues exactly.
 */
public final class SgdMomentum implements UpdateRule<SgdMomentum.State> {
    private final double momentum;
    private final double weightDecay;
    private final boolean[] decayMask;
    private final boolean nesterov;

    /**
     * @param momentum    μ in [0, 1)
     * @param weightDecay λ ≥ 0
     * @param decayMask   which parameters take weight decay (not copied)
     */
    public SgdMomentum(double momentum, double weightDecay, boolean[] decayMask) {
        this(momentum, weightDecay, decayMask, false);
    }

    /** @param nesterov Nesterov's momentum (the gradient at the look-ahead point, in the frameworks' form) */
    public SgdMomentum(double momentum, double weightDecay, boolean[] decayMask, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.decayMask = decayMask;
        this.nesterov = nesterov;
    }

    /** Plain momentum (or Nesterov's) without weight decay, for any number of parameters. */
    public static SgdMomentum withoutDecay(double momentum, boolean nesterov) {
        return new SgdMomentum(momentum, 0, null, nesterov);
    }

    @Override
    public State initial(int n) {
        return State.initial(n);
    }

    /** The optimiser's state: the momentum buffer and the number of steps taken. */
    public record State(double[] velocity, long step) implements java.io.Serializable {
        public static State initial(int params) {
            return new State(new double[params], 0);
        }
    }

    /**
     * One step: updates {@code theta} in place with the mean gradient {@code grad} (not modified) and
     * learning rate {@code lr}; returns the next state (the velocity array is updated in place).
     */
    @Override
    public State step(double[] theta, double[] grad, State state, double lr) {
        double[] v = state.velocity();
        if (theta.length != grad.length || v.length != theta.length || (decayMask != null && decayMask.length != theta.length)) {
            throw new IllegalArgumentException("SGD step on " + theta.length + " parameters got a gradient of "
                    + grad.length + ", velocity of " + v.length + " and mask of " + decayMask.length);
        }
        for (int i = 0; i < theta.length; i++) {
            double g = grad[i] + (decayMask != null && decayMask[i] ? weightDecay * theta[i] : 0);
            v[i] = momentum * v[i] + g;
            theta[i] -= lr * (nesterov ? g + momentum * v[i] : v[i]);
        }
        return new State(v, state.step() + 1);
    }

    @Override
    public OptimizerState save(State state, String optimizer, long iteration, long examples) {
        return new OptimizerState(optimizer, iteration, examples, java.util.Map.of("step", (double) state.step()),
                java.util.Map.of("velocity", state.velocity().clone()));
    }

    @Override
    public State restore(OptimizerState saved) {
        return new State(saved.vector("velocity").clone(), (long) saved.scalar("step"));
    }

    /** Value of the weight-decay term {@code ½ λ Σ_masked θ²}, for reporting the full objective. */
    public double regularizer(double[] theta) {
        double s = 0;
        for (int i = 0; i < theta.length; i++) {
            if (decayMask != null && decayMask[i]) {
                s += theta[i] * theta[i];
            }
        }
        return 0.5 * weightDecay * s;
    }
}
