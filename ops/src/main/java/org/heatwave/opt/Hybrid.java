package org.heatwave.opt;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A first-order phase, then a second-order phase on the reduced problem — the optimiser {@code sgd-sgn-varpro}
 * (issue 19): SGD with its learning-rate schedule over the first {@code firstIterations} mini-batches, in all
 * parameters; then, from the point it reached, stochastic Gauss–Newton with variable projection for the rest of the
 * budget: the classifier {@code w} solved for exactly on each sample ({@link ReducedObjective}, warm-started from
 * SGD's classifier), the Gauss–Newton steps moving the feature parameters only. Both phases minimise one objective,
 * so the second refines what the first found: per data pass, mini-batch SGD makes the cheaper progress from a random
 * start (issue 5: 13 Gauss–Newton directions do not train 150 k parameters in 3 passes); near where SGD ends, an
 * exact classifier on a large sample and a damped Gauss–Newton step on the features are meant to replace SGD's last,
 * slowly annealed passes. Measured on Fashion-MNIST (BENCHMARKS.md, issue 19) they do not yet: at 3 passes the hybrid
 * costs what SGD costs and ends within a few tenths of it either way. (slimTrain — Newman, Chung, Chung and
 * Ruthotto, 2022 — pairs the two differently: a first-order step for the features and a sample-limited
 * variable-projection solve for the last layer at every iteration.)
 *
 * <p>Optionally a last stage ({@code finalSample}): the eliminated coordinates solved once more, at the second phase's
 * end point, on a larger sample than one iteration's — {@code w*(θ_f)} of variable projection without a step in
 * {@code θ_f}, one forward pass over those examples. Over five seeds on Fashion-MNIST it was the part of the second
 * phase that gained test accuracy at every seed (on 20,000 examples, +0.10 points on average), where the
 * Gauss–Newton step on the features did not (BENCHMARKS.md, issue 19, session 18).
 *
 * <p>Iterations, data passes and the budget run on across the phases: the second phase's first iteration is
 * number {@code firstIterations + 1}, its passes add to the first's. The listener sees the full point in both
 * phases ({@link ReducedObjective#assemble}: the feature parameters and the classifier of the last inner solve) and
 * may update it as in one phase. The state it receives names this optimiser and carries the phase, so a run
 * resumes in either phase — or at the boundary, or after the last stage — to the iterates of the run that never
 * stopped, bit for bit: the classifier the reduced problem warm-starts from on resume is the one the full point
 * holds, which is the one the uninterrupted run's next inner solve starts from.
 */
public final class Hybrid implements Optimizer {
    private static final String PHASE = "hybrid.phase";
    private static final String FIRST_ITERATIONS = "hybrid.first_iterations";
    private static final String FIRST_EXAMPLES = "hybrid.first_examples";
    private static final String STOPPED = "stopped by listener";

    private final String name;
    private final Optimizer first;
    private final long firstIterations;
    private final Optimizer second;
    private final Function<double[], ReducedObjective> reduce;
    private final int[] finalSample;

    /** As {@link #Hybrid(String, Optimizer, long, Optimizer, Function, int[])} without the final elimination. */
    public Hybrid(String name, Optimizer first, long firstIterations, Optimizer second, Function<double[], ReducedObjective> reduce) {
        this(name, first, firstIterations, second, reduce, new int[0]);
    }

    /**
     * @param first           the first-order phase, on the full problem
     * @param firstIterations its iterations (mini-batches)
     * @param second          the second phase, on the reduced problem
     * @param reduce          the reduced problem whose inner solve starts from the given full point's eliminated
     *                        coordinates (at the phase boundary: the first phase's end point)
     * @param finalSample     examples the eliminated coordinates are solved on once more at the second phase's end
     *                        ({@link ReducedObjective#solveEliminated}: one iteration, its examples counted in the data
     *                        passes and taken from the second phase's budget); empty: none
     */
    public Hybrid(String name, Optimizer first, long firstIterations, Optimizer second, Function<double[], ReducedObjective> reduce,
                  int[] finalSample) {
        if (firstIterations < 1) {
            throw new IllegalArgumentException("the first phase of " + name + " needs at least 1 iteration, got " + firstIterations);
        }
        this.name = name;
        this.first = first;
        this.firstIterations = firstIterations;
        this.second = second;
        this.reduce = reduce;
        this.finalSample = finalSample.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener, OptimizerState resume) {
        int phase = 1;
        long doneIterations = 0, doneExamples = 0;
        OptimizerState inner = null;
        if (resume != null) {
            if (!resume.optimizer().equals(name)) {
                throw new IllegalArgumentException("cannot resume " + name + " from the state of " + resume.optimizer());
            }
            phase = (int) resume.scalar(PHASE);
            if (phase == 3) {
                // the final elimination is done: x holds the point it made
                return new Result(resume.iteration(), resume.examples() / (double) f.examples(), "budget");
            }
            if (phase == 2) {
                doneIterations = (long) resume.scalar(FIRST_ITERATIONS);
                doneExamples = (long) resume.scalar(FIRST_EXAMPLES);
            }
            Map<String, Double> scalars = new HashMap<>(resume.scalars());
            scalars.keySet().removeIf(k -> k.startsWith("hybrid."));
            inner = new OptimizerState(phase == 1 ? first.name() : second.name(), resume.iteration() - doneIterations,
                    resume.examples() - doneExamples, scalars, resume.vectors());
        }
        int n = f.examples();
        if (phase == 1) {
            Budget firstBudget = new Budget(Math.min(firstIterations, budget.iterations()), budget.dataPasses());
            Result r = first.minimize(f, x, firstBudget, relay((it, point, state) -> listener.iteration(it, point,
                    () -> wrap(state.get(), 1, 0, 0))), inner);
            doneIterations = r.iterations();
            doneExamples = Math.round(r.dataPasses() * n);
            if (!r.stop().equals("budget") || budget.spent(doneIterations, r.dataPasses())) {
                return r;
            }
            inner = null;
        }
        ReducedObjective g = reduce.apply(x.clone());
        double[] xr = Arrays.copyOf(x, g.dimension());
        final long t1 = doneIterations, e1 = doneExamples;
        // the second phase's budget leaves the final elimination its iteration and its examples
        int last = finalSample.length > 0 ? 1 : 0;
        long restIterations = budget.iterations() - t1 - last;
        double restPasses = secondPhasePasses(budget.dataPasses(), e1, finalSample.length, n);
        Result r = new Result(0, 0, "budget");
        if (restIterations >= 1 && (budget.dataPasses() == 0 || restPasses > 0)) {
            Budget rest = new Budget(restIterations, budget.dataPasses() == 0 ? 0 : restPasses);
            r = second.minimize(g, xr, rest, relay((it, point, state) -> {
                System.arraycopy(g.assemble(point), 0, x, 0, x.length);
                Iteration whole = new Iteration(t1 + it.number(), it.loss(), it.gradientNorm(), it.stepLength(), it.cgIterations(),
                        it.cgResidual(), it.lineSearchEvaluations(), passes(e1, it.dataPasses(), n), it.diagnostics());
                boolean go = listener.iteration(whole, x, () -> wrap(state.get(), 2, t1, e1));
                System.arraycopy(x, 0, point, 0, point.length);
                return go;
            }), inner);
        }
        System.arraycopy(g.assemble(xr), 0, x, 0, x.length);
        long t2 = t1 + r.iterations();
        long e2 = e1 + Math.round(r.dataPasses() * n);
        if (last == 0 || r.stop().equals(STOPPED)) {
            return new Result(t2, e2 / (double) n, r.stop());
        }
        return eliminate(g, xr, x, t2 + 1, e2 + finalSample.length, t1, e1, listener);
    }

    /**
     * The data passes a budget of {@code budgetPasses} leaves the Gauss–Newton phase after a first phase of
     * {@code firstExamples} examples and a final elimination on {@code finalExamples} of the {@code n}: no Gauss–Newton
     * iteration runs when this is not positive (a budget of 0 passes, "no limit", aside).
     */
    public static double secondPhasePasses(double budgetPasses, long firstExamples, int finalExamples, int n) {
        return budgetPasses - (firstExamples + finalExamples) / (double) n;
    }

    /**
     * The third stage: the eliminated coordinates solved on {@code finalSample} at the second phase's end point
     * {@code xr}, reported as iteration {@code t} (its step the change in the full point).
     */
    private Result eliminate(ReducedObjective g, double[] xr, double[] x, long t, long examples, long t1, long e1, Listener listener) {
        double[] before = x.clone();
        ReducedObjective.Elimination e = g.solveEliminated(xr, finalSample);
        System.arraycopy(g.assemble(xr), 0, x, 0, x.length);
        double step = 0;
        for (int i = 0; i < x.length; i++) {
            step += (x[i] - before[i]) * (x[i] - before[i]);
        }
        Map<String, Double> diagnostics = new HashMap<>(e.diagnostics());
        diagnostics.put("elimination_examples", (double) finalSample.length);
        Iteration it = new Iteration(t, e.value(), Double.NaN, Math.sqrt(step), 0, Double.NaN, 0, examples / (double) g.examples(),
                diagnostics);
        OptimizerState done = new OptimizerState(name, t, examples, Map.of(PHASE, 3.0, FIRST_ITERATIONS, (double) t1,
                FIRST_EXAMPLES, (double) e1), Map.of());
        boolean go = listener.iteration(it, x, () -> done);
        return new Result(t, examples / (double) g.examples(), go ? "budget" : STOPPED);
    }

    /** A listener of a phase that reports its state. */
    @FunctionalInterface
    private interface Relay {
        boolean iteration(Iteration it, double[] point, Supplier<OptimizerState> state);
    }

    private static Listener relay(Relay r) {
        return new Listener() {
            @Override
            public boolean iteration(Iteration it, double[] x) {
                return r.iteration(it, x, () -> {
                    throw new IllegalStateException("this phase reports no state");
                });
            }

            @Override
            public boolean iteration(Iteration it, double[] x, Supplier<OptimizerState> state) {
                return r.iteration(it, x, state);
            }
        };
    }

    /** The passes of both phases: the first phase's examples and the second's passes, as one tally would count them. */
    private static double passes(long firstExamples, double secondPasses, int n) {
        return (firstExamples + Math.round(secondPasses * n)) / (double) n;
    }

    /** A phase's state as this optimiser's: iterations and examples of both phases, and the phase to resume in. */
    private OptimizerState wrap(OptimizerState s, int phase, long firstIterationsDone, long firstExamplesDone) {
        Map<String, Double> scalars = new HashMap<>(s.scalars());
        scalars.put(PHASE, (double) phase);
        scalars.put(FIRST_ITERATIONS, (double) firstIterationsDone);
        scalars.put(FIRST_EXAMPLES, (double) firstExamplesDone);
        return new OptimizerState(name, s.iteration() + firstIterationsDone, s.examples() + firstExamplesDone, scalars,
                s.vectors());
    }
}
