package org.heatwave.block;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.KernelSlot;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * A block of {@code nt} forward-Euler steps of {@code ∂_t Y = f(Y, θ(t))} (seed 000 "ResNet as forward
 * Euler", seed 003 eq. for {@code Y_{j+1}}):
 *
 * <pre>Y_{j+1} = Y_j + h f(Y_j, θ_j),   j = 0 … nt−1,   θ_j = Σ_m B[j][m] β_m</pre>
 *
 * where the right-hand side {@code f} is any layer from the block's geometry to itself — the double layer
 * {@code K₂ σ(N(K₁ Y) + b)} of the ResNet block, the antisymmetric layer
 * {@code σ(½(K − Kᵀ − γI) Y + b)} (seed 004), … — and the stored parameter sets {@code β_m} vary in time as
 * {@link TimeWeights} says. The adjoint pass runs the steps backwards,
 * {@code Ȳ_j = Ȳ_{j+1} + J_Yᵀ(h Ȳ_{j+1})}, with {@code θ̄_j = J_θᵀ(h Ȳ_{j+1})} spread back to the stored
 * sets by {@code Bᵀ}; the tangent pass runs them forwards.
 *
 * <p>Parameters: {@code sets · f.paramCount()}, set after set. Right-hand sides with running statistics
 * (batch normalisation) are refused: their statistics would belong to steps, their parameters to sets.
 */
public final class EulerBlock implements Refinable, TimeStepped {
    private final String name;
    private final Layer f;
    private final TimeWeights time;
    private final float h;
    private final int stepParams;

    /**
     * @param name what the block is, for {@link #describe} (e.g. {@code "resnet"})
     * @param f    the right-hand side, a layer from a geometry to itself
     * @param time how the parameters vary over the steps (its step count is the block's)
     * @param h    the step size
     */
    public EulerBlock(String name, Layer f, TimeWeights time, double h) {
        if (!f.input().equals(f.output())) {
            throw new IllegalArgumentException("the right-hand side of an Euler block must keep the geometry, "
                    + f.describe() + " maps " + f.input() + " to " + f.output());
        }
        if (f.statisticsCount() != 0) {
            throw new IllegalArgumentException("batch normalisation inside a block is not supported (" + f.describe()
                    + "): use instance or layer normalisation");
        }
        if (!(h > 0)) {
            throw new IllegalArgumentException("step size must be positive, got h=" + h);
        }
        this.name = name;
        this.f = f;
        this.time = time;
        this.h = (float) h;
        this.stepParams = f.paramCount();
    }

    public int steps() {
        return time.steps();
    }

    @Override
    public double stepSize() {
        return h;
    }

    @Override
    public int parameterSets() {
        return time.sets();
    }

    @Override
    public int parametersPerSet() {
        return stepParams;
    }

    @Override
    public boolean perStepWeights() {
        return time.isPerStep();
    }

    /**
     * Refinement in depth: the same right-hand side on {@code 2nt} steps of {@code h/2}, the weights
     * interpolated in time ({@link TimeWeights#refineSets}; {@link #refineParameters} maps θ).
     */
    @Override
    public EulerBlock refined() {
        return new EulerBlock(name, f, time.refined(), h / 2.0);
    }

    /** This block's parameters {@code theta[off …]} as {@link #refined()}'s. */
    @Override
    public double[] refineParameters(double[] theta, int off) {
        double[] out = new double[time.refined().sets() * stepParams];
        time.refineSets(theta, off, stepParams, out, 0);
        return out;
    }

    @Override
    public String describe() {
        Geometry g = f.input();
        return name + " " + g.c() + "ch " + g.h() + "x" + g.w() + " nt=" + time.steps() + " h=" + h + " weights "
                + time + " [" + f.describe() + "]";
    }

    @Override
    public Geometry input() {
        return f.input();
    }

    @Override
    public Geometry output() {
        return f.output();
    }

    @Override
    public int paramCount() {
        return time.sets() * stepParams;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        for (int m = 0; m < time.sets(); m++) {
            f.init(theta, off + m * stepParams, random);
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        for (int m = 0; m < time.sets(); m++) {
            f.markWeightDecay(mask, off + m * stepParams);
        }
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        for (int m = 0; m < time.sets(); m++) {
            f.kernels(off + m * stepParams, out);
        }
    }

    @Override
    public void project(double[] theta, int off) {
        for (int m = 0; m < time.sets(); m++) {
            f.project(theta, off + m * stepParams);
        }
    }

    @Override
    public Bound bind(double[] theta, int off) {
        int nt = time.steps();
        Bound[] steps = new Bound[nt];
        double[] step = new double[stepParams];
        for (int j = 0; j < nt; j++) {
            time.combine(j, theta, off, stepParams, step);
            steps[j] = f.bind(step, 0);
        }
        return new BoundImpl(steps);
    }

    /** The states {@code Y_0 … Y_nt} of a forward pass from {@code y} (no trace kept). */
    public List<FeatureMap> trajectory(Bound bound, FeatureMap y) {
        Bound[] steps = ((BoundImpl) bound).steps;
        List<FeatureMap> states = new ArrayList<>(steps.length + 1);
        FeatureMap state = y;
        states.add(state);
        for (Bound step : steps) {
            state = Steps.axpy(state, h, step.forward(state).output());
            states.add(state);
        }
        return states;
    }

    /** The right-hand sides' traces, step by step (each holds the step's input {@code Y_j}). */
    private record Tr(List<Trace> steps, FeatureMap output) implements Trace {
        /** The steps' traces and the states {@code Y_1 … Y_nt} (each step's input after the first, and the output). */
        @Override
        public long bytes() {
            long sum = steps.size() * output.bytes();
            for (Trace t : steps) {
                sum += t.bytes();
            }
            return sum;
        }
    }

    private final class BoundImpl implements Bound {
        private final Bound[] steps;

        BoundImpl(Bound[] steps) {
            this.steps = steps;
        }

        @Override
        public Trace forward(FeatureMap y) {
            List<Trace> traces = new ArrayList<>(steps.length);
            FeatureMap state = y;
            for (Bound step : steps) {
                Trace t = step.forward(state);
                traces.add(t);
                state = Steps.axpy(state, h, t.output());
            }
            return new Tr(traces, state);
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            FeatureMap ybar = w;
            double[] stepGrad = new double[stepParams];
            for (int j = steps.length - 1; j >= 0; j--) {
                java.util.Arrays.fill(stepGrad, 0);
                FeatureMap back = steps[j].vjp(t.steps().get(j), ybar.scaled(h), stepGrad, 0);
                ybar = Steps.axpy(ybar, 1f, back);
                time.spread(j, stepGrad, stepParams, grad, off);
            }
            return ybar;
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            FeatureMap d = dy;
            double[] step = new double[stepParams];
            for (int j = 0; j < steps.length; j++) {
                time.combine(j, dTheta, off, stepParams, step);
                d = Steps.axpy(d, h, steps[j].jvp(t.steps().get(j), step, 0, d));
            }
            return d;
        }
    }
}
