package org.heatwave.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.KernelSlot;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * A block of {@code nt} Verlet (symplectic Euler) steps of the Hamiltonian system
 * {@code ∂_t Y = F(Z, θ(t))}, {@code ∂_t Z = −G(Y, θ(t))} (seeds 003 and 004), with {@code Z₀ = 0} and
 * the block's output {@code Y_nt}:
 *
 * <pre>{@link Order#Y_FIRST} (seed 003):  Y_{j+1} = Y_j + h F_j(Z_j),        Z_{j+1} = Z_j − h G_j(Y_{j+1})
 * {@link Order#Z_FIRST} (seed 004):  Z_{j+1} = Z_j − h G_j(Y_j),        Y_{j+1} = Y_j + h F_j(Z_{j+1})</pre>
 *
 * Seed 003's Hamiltonian network takes {@code F = K₁ᵀσ(K₁ · + b₁)}, {@code G = K₂ᵀσ(K₂ · + b₂)}; seed 004's
 * {@code F = σ(K · + b)}, {@code G = σ(Kᵀ · + b)} with one shared parameter set; and with {@code F = I} and
 * {@code Z_FIRST} the scheme is the leapfrog {@code Y_{j+1} = 2Y_j − Y_{j−1} − h² G(Y_j)} of the second-order
 * network ({@code Z} the velocity, {@code Y_{−1} = Y₀}).
 *
 * <p>Every step is invertible — {@code Z_j = Z_{j+1} + h G(Y_{j+1})}, {@code Y_j = Y_{j+1} − h F(Z_j)} (and
 * the other order alike) — so by default ({@code storeStates = false}) the forward pass keeps only the
 * final {@code (Y, Z)}, and the adjoint pass recomputes the states backwards while it runs: O(1) stored
 * states in depth, at the cost of one more evaluation of {@code F} and {@code G} per step (seed 003:
 * "large memory savings"). With {@code storeStates} every step's traces are kept instead. Both give the
 * same gradients up to float32 rounding of the reconstruction.
 *
 * <p>Parameters per stored set ({@link TimeWeights}): {@code F}'s then {@code G}'s, or, when
 * {@code shared}, one set that both read.
 */
public final class VerletBlock implements Refinable, TimeStepped {
    /** Which half-step comes first. */
    public enum Order {
        Y_FIRST,
        Z_FIRST
    }

    private final String name;
    private final Layer f;
    private final Layer g;
    private final boolean shared;
    private final Order order;
    private final TimeWeights time;
    private final float h;
    private final boolean storeStates;
    private final int setParams;

    public VerletBlock(String name, Layer f, Layer g, boolean shared, Order order, TimeWeights time, double h,
                       boolean storeStates) {
        for (Layer r : List.of(f, g)) {
            if (!r.input().equals(f.input()) || !r.output().equals(f.input())) {
                throw new IllegalArgumentException("the right-hand sides of a Verlet block must keep one geometry, "
                        + r.describe() + " maps " + r.input() + " to " + r.output());
            }
            if (r.statisticsCount() != 0) {
                throw new IllegalArgumentException("batch normalisation inside a block is not supported ("
                        + r.describe() + "): use instance or layer normalisation");
            }
        }
        if (shared && f.paramCount() != g.paramCount()) {
            throw new IllegalArgumentException("shared parameters need right-hand sides with equal parameter counts, got "
                    + f.paramCount() + " and " + g.paramCount());
        }
        if (!(h > 0)) {
            throw new IllegalArgumentException("step size must be positive, got h=" + h);
        }
        this.name = name;
        this.f = f;
        this.g = g;
        this.shared = shared;
        this.order = order;
        this.time = time;
        this.h = (float) h;
        this.storeStates = storeStates;
        this.setParams = shared ? f.paramCount() : f.paramCount() + g.paramCount();
    }

    /** The same block (same parameters) with the other memory policy: {@code storeStates} or reversible. */
    public VerletBlock(String name, VerletBlock block, boolean storeStates) {
        this(name, block.f, block.g, block.shared, block.order, block.time, block.h, storeStates);
    }

    public int steps() {
        return time.steps();
    }

    /** Refinement in depth: {@code 2nt} steps of {@code h/2}, weights interpolated ({@link #refineParameters}). */
    @Override
    public VerletBlock refined() {
        return new VerletBlock(name, f, g, shared, order, time.refined(), h / 2.0, storeStates);
    }

    /** This block's parameters {@code theta[off …]} as {@link #refined()}'s. */
    @Override
    public double[] refineParameters(double[] theta, int off) {
        double[] out = new double[time.refined().sets() * setParams];
        time.refineSets(theta, off, setParams, out, 0);
        return out;
    }

    public boolean storesStates() {
        return storeStates;
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
        return setParams;
    }

    @Override
    public boolean perStepWeights() {
        return time.isPerStep();
    }

    @Override
    public String describe() {
        Geometry geo = f.input();
        return name + " " + geo.c() + "ch " + geo.h() + "x" + geo.w() + " nt=" + time.steps() + " h=" + h + " weights "
                + time + (storeStates ? " (states stored)" : " (reversible)") + " [F: " + f.describe() + "; G: "
                + g.describe() + "]";
    }

    @Override
    public Geometry input() {
        return f.input();
    }

    @Override
    public Geometry output() {
        return f.input();
    }

    @Override
    public int paramCount() {
        return time.sets() * setParams;
    }

    private int gOffset() {
        return shared ? 0 : f.paramCount();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        for (int m = 0; m < time.sets(); m++) {
            f.init(theta, off + m * setParams, random);
            if (!shared) {
                g.init(theta, off + m * setParams + gOffset(), random);
            }
        }
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        for (int m = 0; m < time.sets(); m++) {
            f.kernels(off + m * setParams, out);
            if (!shared) {
                g.kernels(off + m * setParams + gOffset(), out);
            }
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        for (int m = 0; m < time.sets(); m++) {
            f.markWeightDecay(mask, off + m * setParams);
            g.markWeightDecay(mask, off + m * setParams + gOffset());
        }
    }

    @Override
    public void project(double[] theta, int off) {
        for (int m = 0; m < time.sets(); m++) {
            f.project(theta, off + m * setParams);
            if (!shared) {
                g.project(theta, off + m * setParams + gOffset());
            }
        }
    }

    @Override
    public Bound bind(double[] theta, int off) {
        int nt = time.steps();
        Half[][] halves = new Half[nt][];
        double[] set = new double[setParams];
        for (int j = 0; j < nt; j++) {
            time.combine(j, theta, off, setParams, set);
            Half yHalf = new Half(true, f.bind(set, 0), 0);
            Half zHalf = new Half(false, g.bind(set, gOffset()), gOffset());
            halves[j] = order == Order.Y_FIRST ? new Half[] {yHalf, zHalf} : new Half[] {zHalf, yHalf};
        }
        return new BoundImpl(halves);
    }

    /**
     * One half-step {@code X ← X + s·h·R(W)}: {@code X = Y, W = Z, R = F, s = +1}, or {@code X = Z, W = Y,
     * R = G, s = −1}; {@code paramOffset} is where {@code R} reads in the step's parameter set.
     */
    private record Half(boolean updatesY, Bound rhs, int paramOffset) {
        float sign() {
            return updatesY ? 1f : -1f;
        }
    }

    /** The state {@code (Y, Z)}. */
    private record State(FeatureMap y, FeatureMap z) {
        FeatureMap read(Half half) {
            return half.updatesY() ? z : y;
        }

        State with(Half half, FeatureMap x) {
            return half.updatesY() ? new State(x, z) : new State(y, x);
        }

        FeatureMap target(Half half) {
            return half.updatesY() ? y : z;
        }
    }

    /**
     * A forward pass: the input, the final state, and — when states are stored — every half-step's trace
     * ({@code traces.get(2j + i)}); otherwise {@code traces} is empty. {@code stateBytes}: the states it keeps.
     */
    private record Tr(FeatureMap input, State last, List<Trace> traces, long stateBytes) implements Trace {
        @Override
        public FeatureMap output() {
            return last.y();
        }

        @Override
        public long bytes() {
            long sum = stateBytes;
            for (Trace t : traces) {
                sum += t.bytes();
            }
            return sum;
        }
    }

    /**
     * The block's input recomputed from a forward pass's final state by running the steps backwards (what
     * the adjoint pass does when states are not stored): equal to the input up to float32 rounding.
     */
    public FeatureMap reconstructInput(Bound bound, Trace trace) {
        Half[][] halves = ((BoundImpl) bound).halves;
        State s = ((Tr) trace).last();
        for (int j = halves.length - 1; j >= 0; j--) {
            for (int i = 1; i >= 0; i--) {
                Half half = halves[j][i];
                s = undo(half, s, half.rhs().forward(s.read(half)));
            }
        }
        return s.y();
    }

    /**
     * The states {@code (Y_j, Z_j)}, {@code j = 0 … nt}, of a forward pass from {@code y} (for phase-space
     * plots and stability diagnostics; no trace is kept).
     */
    public List<FeatureMap[]> trajectory(Bound bound, FeatureMap y) {
        BoundImpl b = (BoundImpl) bound;
        State s = new State(y, y.zerosLike());
        List<FeatureMap[]> states = new ArrayList<>(b.halves.length + 1);
        states.add(new FeatureMap[] {s.y(), s.z()});
        for (Half[] step : b.halves) {
            s = b.step(step, s, null, null);
            states.add(new FeatureMap[] {s.y(), s.z()});
        }
        return states;
    }

    /** The state before a half-step {@code X ← X + s·h·R(W)}, from the state after it and {@code R(W)}. */
    private State undo(Half half, State after, Trace rhs) {
        return after.with(half, Steps.axpy(after.target(half), -half.sign() * h, rhs.output()));
    }

    private final class BoundImpl implements Bound {
        private final Half[][] halves;

        BoundImpl(Half[][] halves) {
            this.halves = halves;
        }

        @Override
        public Trace forward(FeatureMap y) {
            State s = new State(y, y.zerosLike());
            List<Trace> traces = storeStates ? new ArrayList<>(2 * halves.length) : null;
            // the states this pass made and keeps, each once: those the kept half-steps read (each trace holds its
            // input), and the final two; not y, the caller's
            java.util.Set<FeatureMap> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Half[] step : halves) {
                s = step(step, s, traces, kept);
            }
            kept.add(s.y());
            kept.add(s.z());
            kept.remove(y);
            long stateBytes = 0;
            for (FeatureMap m : kept) {
                stateBytes += m.bytes();
            }
            return new Tr(y, s, traces == null ? List.of() : traces, stateBytes);
        }

        /**
         * One Verlet step from {@code s}; its two traces, and the states they read, are added to {@code traces} and
         * {@code read} unless those are null.
         */
        State step(Half[] step, State s, List<Trace> traces, java.util.Set<FeatureMap> read) {
            State next = s;
            for (Half half : step) {
                Trace t = half.rhs().forward(next.read(half));
                if (traces != null) {
                    traces.add(t);
                    read.add(next.read(half));
                }
                next = next.with(half, Steps.axpy(next.target(half), half.sign() * h, t.output()));
            }
            return next;
        }

        @Override
        public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
            Tr t = (Tr) trace;
            State s = t.last();
            // cotangents of (Y, Z): the output is Y, Z's final value is not used
            State bar = new State(w, w.zerosLike());
            double[] setGrad = new double[setParams];
            for (int j = halves.length - 1; j >= 0; j--) {
                Arrays.fill(setGrad, 0);
                for (int i = 1; i >= 0; i--) {
                    Half half = halves[j][i];
                    Trace rt;
                    if (storeStates) {
                        rt = t.traces().get(2 * j + i);
                    } else {
                        rt = half.rhs().forward(s.read(half));
                        s = undo(half, s, rt);
                    }
                    FeatureMap xbar = bar.target(half);
                    FeatureMap back = half.rhs().vjp(rt, xbar.scaled(half.sign() * h), setGrad,
                            half.paramOffset());
                    FeatureMap wbar = Steps.axpy(bar.read(half), 1f, back);
                    bar = half.updatesY() ? new State(xbar, wbar) : new State(wbar, xbar);
                }
                time.spread(j, setGrad, setParams, grad, off);
            }
            return bar.y();
        }

        @Override
        public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
            Tr t = (Tr) trace;
            State s = new State(t.input(), t.input().zerosLike());
            State d = new State(dy, dy.zerosLike());
            double[] set = new double[setParams];
            for (int j = 0; j < halves.length; j++) {
                time.combine(j, dTheta, off, setParams, set);
                for (int i = 0; i < 2; i++) {
                    Half half = halves[j][i];
                    Trace rt;
                    if (storeStates) {
                        rt = t.traces().get(2 * j + i);
                    } else {
                        rt = half.rhs().forward(s.read(half));
                        s = s.with(half, Steps.axpy(s.target(half), half.sign() * h, rt.output()));
                    }
                    FeatureMap dr = half.rhs().jvp(rt, set, half.paramOffset(), d.read(half));
                    d = d.with(half, Steps.axpy(d.target(half), half.sign() * h, dr));
                }
            }
            return d.y();
        }
    }
}
