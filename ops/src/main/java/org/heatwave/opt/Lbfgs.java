package org.heatwave.opt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.HashMap;
import java.util.Map;
import org.heatwave.linalg.Vectors;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, Alg. 7.4 and 7.5), a baseline for issue 5: the direction
 * {@code d = −H g} by the two-loop recursion over the last {@code M} pairs {@code (s, y)} with
 * {@code H₀ = (sᵀy / yᵀy) I}, a strong-Wolfe line search, and pairs with too little curvature
 * ({@code sᵀy ≤ 1e-10‖s‖‖y‖}) skipped. On a {@link SampleSchedule}: the memory is cleared when the sample
 * changes (pairs of different objectives do not mix).
 */
public final class Lbfgs implements Optimizer {
    private final int memory;
    private final SampleSchedule samples;
    private final LineSearch lineSearch;

    public Lbfgs(int memory, SampleSchedule samples) {
        if (memory < 1) {
            throw new IllegalArgumentException("L-BFGS memory must be >= 1, got " + memory);
        }
        this.memory = memory;
        this.samples = samples;
        this.lineSearch = new Wolfe();
    }

    @Override
    public String name() {
        return "lbfgs";
    }

    private record Pair(double[] s, double[] y, double rho) {
    }

    @Override
    public Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener, OptimizerState resume) {
        StochasticGradient.requireExamples(f, samples.sampler());
        Counted.Tally tally = new Counted.Tally();
        Deque<Pair> pairs = new ArrayDeque<>();
        Objective objective = null;
        Evaluation e = null;
        long t = 0;
        if (resume != null) {
            resume.requireFor(name(), x.length, "gradient");
            t = resume.iteration();
            tally.restore(resume.examples());
            e = restore(resume, pairs);
            objective = new Counted(f, samples.at(t), tally); // the sample of the evaluation restored (no evaluation)
        }
        while (!budget.spent(t, tally.passes(f.examples()))) {
            tally.iteration("iter " + (t + 1));
            if (samples.resamples(t) || e == null) {
                int[] sample = samples.at(t);
                objective = new Counted(f, sample, tally);
                e = objective.evaluate(x);
                pairs.clear();
            }
            double[] g = e.gradient();
            double[] d = direction(g, pairs);
            if (!(Vectors.dot(g, d) < 0)) {
                pairs.clear();
                d = Vectors.scaled(-1, g);
            }
            if (Vectors.norm(g) == 0) {
                return new Result(t, tally.passes(f.examples()), "zero gradient");
            }
            double initial = pairs.isEmpty() ? Math.min(1, 1 / Vectors.norm(g)) : 1;
            LineSearch.Step step = lineSearch.search(objective, x, e.value(), g, d, initial);
            if (step.length() == 0) {
                return new Result(t, tally.passes(f.examples()), "line search found no decrease");
            }
            double[] next = Vectors.plus(x, step.length(), d);
            f.project(next);
            Evaluation en = step.evaluation() != null && !changedByProjection(next, x, step.length(), d)
                    ? step.evaluation() : objective.evaluate(next);
            double[] s = Vectors.minus(next, x);
            double[] y = Vectors.minus(en.gradient(), g);
            double sy = Vectors.dot(s, y);
            if (sy > 1e-10 * Vectors.norm(s) * Vectors.norm(y)) {
                if (pairs.size() == memory) {
                    pairs.removeFirst();
                }
                pairs.addLast(new Pair(s, y, 1 / sy));
            }
            t++;
            Map<String, Double> diagnostics = new HashMap<>(e.diagnostics());
            diagnostics.put("line_search_step", step.length());
            diagnostics.put("memory", (double) pairs.size());
            diagnostics.put("sample_size", (double) samples.size());
            Iteration it = new Iteration(t, e.value(), Vectors.norm(g), Vectors.norm(s), 0, Double.NaN, step.evaluations(),
                    tally.passes(f.examples()), diagnostics);
            System.arraycopy(next, 0, x, 0, x.length);
            e = en;
            final Evaluation at = en;
            final long done = t;
            if (!listener.iteration(it, x, () -> save(done, tally.examples(), at, pairs))) {
                return new Result(t, tally.passes(f.examples()), "stopped by listener");
            }
        }
        return new Result(t, tally.passes(f.examples()), "budget");
    }

    /**
     * The state after an iteration: the pairs, and the evaluation at the new point (value, gradient,
     * diagnostics), which the next iteration starts from without evaluating again.
     */
    private OptimizerState save(long iteration, long examples, Evaluation e, Deque<Pair> pairs) {
        Map<String, Double> scalars = new HashMap<>();
        Map<String, double[]> vectors = new HashMap<>();
        scalars.put("pairs", (double) pairs.size());
        scalars.put("value", e.value());
        vectors.put("gradient", e.gradient().clone());
        e.diagnostics().forEach((k, v) -> scalars.put("diagnostic." + k, v));
        int i = 0;
        for (Pair p : pairs) {
            vectors.put("s" + i, p.s().clone());
            vectors.put("y" + i, p.y().clone());
            scalars.put("rho" + i, p.rho());
            i++;
        }
        return new OptimizerState(name(), iteration, examples, scalars, vectors);
    }

    /** Fills {@code pairs} from a saved state and returns its evaluation (without a Gauss–Newton operator). */
    private static Evaluation restore(OptimizerState saved, Deque<Pair> pairs) {
        int n = (int) saved.scalar("pairs");
        for (int i = 0; i < n; i++) {
            pairs.addLast(new Pair(saved.vector("s" + i).clone(), saved.vector("y" + i).clone(), saved.scalar("rho" + i)));
        }
        Map<String, Double> diagnostics = new HashMap<>();
        saved.scalars().forEach((k, v) -> {
            if (k.startsWith("diagnostic.")) {
                diagnostics.put(k.substring("diagnostic.".length()), v);
            }
        });
        return Evaluation.of(saved.scalar("value"), saved.vector("gradient").clone(), (v, out) -> {
            throw new UnsupportedOperationException("L-BFGS takes no Gauss–Newton products");
        }, diagnostics);
    }

    /** Whether the projection moved {@code next} off {@code x + αd}. */
    private static boolean changedByProjection(double[] next, double[] x, double alpha, double[] d) {
        for (int i = 0; i < x.length; i++) {
            if (next[i] != x[i] + alpha * d[i]) {
                return true;
            }
        }
        return false;
    }

    /** {@code −H g} by the two-loop recursion. */
    static double[] direction(double[] g, Deque<Pair> pairs) {
        double[] q = g.clone();
        double[] alpha = new double[pairs.size()];
        int i = pairs.size() - 1;
        for (Iterator<Pair> it = pairs.descendingIterator(); it.hasNext(); i--) {
            Pair p = it.next();
            alpha[i] = p.rho() * Vectors.dot(p.s(), q);
            Vectors.axpy(-alpha[i], p.y(), q);
        }
        if (!pairs.isEmpty()) {
            Pair last = pairs.getLast();
            double gamma = Vectors.dot(last.s(), last.y()) / Vectors.dot(last.y(), last.y());
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        i = 0;
        for (Pair p : pairs) {
            double beta = p.rho() * Vectors.dot(p.y(), q);
            Vectors.axpy(alpha[i] - beta, p.s(), q);
            i++;
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = -q[j];
        }
        return q;
    }
}
