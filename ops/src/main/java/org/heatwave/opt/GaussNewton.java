package org.heatwave.opt;

import java.util.HashMap;
import java.util.Map;
import org.heatwave.linalg.ConjugateGradient;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.linalg.Steihaug;
import org.heatwave.linalg.Vectors;

/**
 * Stochastic Gauss–Newton with sample average approximation (seeds 002 and 003, "SGN"): every
 * {@code k} iterations a new sample of {@code m} examples ({@link SampleSchedule}); per iteration the
 * gradient {@code g} over the sample and a direction from the matrix-free Gauss–Newton operator
 * {@code B = JᵀHJ} of the same sample — or of a subsample of it ({@link SampleSchedule#curvature}: subsampled
 * curvature after Byrd et al.) — by conjugate gradients (each CG iteration one product, on Spark one job). Two
 * globalisations:
 * <ul>
 *   <li>{@link Globalization#LINE_SEARCH}: {@code (B + αI) p = −g} by CG, then an Armijo line search from
 *       {@code p}. The damping α follows the ratio ρ of actual to predicted decrease as in Levenberg–Marquardt:
 *       ρ &gt; ¾ at the full step → α/3 (not below {@link Settings#minDamping}), ρ &lt; ¼ or a shortened step → 2α.
 *       The predicted decrease of the damped model at the step {@code t·p} taken,
 *       {@code −(t gᵀp + ½t² pᵀ(B + αI)p) = −gᵀp (t − t²/2)}, needs no extra product: CG iterates from 0 satisfy
 *       {@code pᵀ(B + αI)p = −gᵀp} exactly.</li>
 *   <li>{@link Globalization#TRUST_REGION}: {@code min gᵀp + ½pᵀ(B + αI)p, ‖p‖ ≤ Δ} by Steihaug-CG; the step is
 *       taken if ρ &gt; 0.1; ρ &lt; ¼ → Δ/4, ρ &gt; ¾ at the boundary → 2Δ (Nocedal &amp; Wright, Alg. 4.1); α stays fixed.</li>
 * </ul>
 */
public final class GaussNewton implements Optimizer {
    /** How a step is made safe. */
    public enum Globalization { LINE_SEARCH, TRUST_REGION }

    /**
     * @param damping          initial α ≥ 0 (the shift of {@code B}; adapted with a line search)
     * @param radius           initial trust-region radius Δ (trust region only)
     * @param cgTolerance      relative residual at which CG stops
     * @param cgIterations     cap on CG iterations (Gauss–Newton products) per step
     * @param minDamping       the floor of the line search's adaptation of α (&gt; 0): after a step where the model
     *                         predicted well α falls to α/3, but not below this; from a trained point (the hybrid) a
     *                         floor keeps the next steps from over-fitting their sample
     */
    public record Settings(Globalization globalization, double damping, double radius, double cgTolerance, int cgIterations,
                           double minDamping) {
        public Settings {
            if (!(damping >= 0)) {
                throw new IllegalArgumentException("damping must be >= 0, got " + damping);
            }
            if (!(minDamping > 0 && minDamping <= MAX_DAMPING)) {
                throw new IllegalArgumentException("the least damping must be in (0, " + MAX_DAMPING + "], got " + minDamping);
            }
            if (!(radius > 0)) {
                throw new IllegalArgumentException("trust-region radius must be > 0, got " + radius);
            }
            new ConjugateGradient(cgTolerance, cgIterations); // validates
        }

        /** With the least damping {@value GaussNewton#MIN_DAMPING}. */
        public Settings(Globalization globalization, double damping, double radius, double cgTolerance, int cgIterations) {
            this(globalization, damping, radius, cgTolerance, cgIterations, MIN_DAMPING);
        }
    }

    /** The default least damping. */
    public static final double MIN_DAMPING = 1e-8;
    private static final double MAX_DAMPING = 1e8;

    private final String name;
    private final SampleSchedule samples;
    private final Settings settings;
    private final LineSearch lineSearch = new Armijo();

    public GaussNewton(String name, SampleSchedule samples, Settings settings) {
        this.name = name;
        this.samples = samples;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    /** The step of one iteration, what it cost, and the globalisation's state for the next. */
    private record Step(double[] step, int cgIterations, double cgResidual, int evaluations, double damping, double radius) {
    }

    @Override
    public Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener, OptimizerState resume) {
        StochasticGradient.requireExamples(f, samples.sampler());
        Counted.Tally tally = new Counted.Tally();
        double alpha = settings.damping();
        double radius = settings.radius();
        Objective objective = null;
        Objective curvature = null;
        long t = 0;
        if (resume != null) {
            resume.requireFor(name, x.length);
            alpha = resume.scalar("damping");
            radius = resume.scalar("radius");
            t = resume.iteration();
            tally.restore(resume.examples());
        }
        while (!budget.spent(t, tally.passes(f.examples()))) {
            tally.iteration("iter " + (t + 1), settings.cgIterations());
            if (samples.resamples(t) || objective == null) {
                objective = new Counted(f, samples.at(t), tally);
                curvature = samples.subsampledCurvature() ? new Counted(f, samples.curvatureAt(t), tally) : null;
            }
            Evaluation e = objective.evaluate(x);
            if (!Double.isFinite(e.value())) {
                throw new IllegalStateException(name + ": the objective is " + e.value() + " at iteration " + (t + 1));
            }
            if (Vectors.norm(e.gradient()) == 0) {
                return new Result(t, tally.passes(f.examples()), "zero gradient");
            }
            Map<String, Double> diagnostics = new HashMap<>(e.diagnostics());
            diagnostics.put("sample_size", (double) samples.size());
            diagnostics.put("damping", alpha);
            LinearOperator b;
            if (curvature == null) {
                b = e.gaussNewton();
            } else {
                b = curvature.gaussNewton(x);
                diagnostics.put("curvature_sample", (double) samples.curvature());
            }
            Step s = settings.globalization() == Globalization.LINE_SEARCH
                    ? lineSearchStep(objective, x, e, b, alpha, radius, diagnostics)
                    : trustRegionStep(objective, x, e, b, alpha, radius, diagnostics);
            alpha = s.damping();
            radius = s.radius();
            Vectors.axpy(1, s.step(), x);
            f.project(x);
            t++;
            Iteration it = new Iteration(t, e.value(), Vectors.norm(e.gradient()), Vectors.norm(s.step()), s.cgIterations(),
                    s.cgResidual(), s.evaluations(), tally.passes(f.examples()), diagnostics);
            OptimizerState state = new OptimizerState(name, t, tally.examples(), Map.of("damping", alpha, "radius", radius), Map.of());
            if (!listener.iteration(it, x, () -> state)) {
                return new Result(t, tally.passes(f.examples()), "stopped by listener");
            }
        }
        return new Result(t, tally.passes(f.examples()), "budget");
    }

    /** {@code (B + αI)p = −g} by CG, Armijo along p, α adapted from the ratio of actual to predicted decrease. */
    private Step lineSearchStep(Objective objective, double[] x, Evaluation e, LinearOperator b, double alpha, double radius,
                                Map<String, Double> diagnostics) {
        double[] g = e.gradient();
        ConjugateGradient.Result cg = new ConjugateGradient(settings.cgTolerance(), settings.cgIterations())
                .solve(b.shifted(alpha), Vectors.scaled(-1, g));
        double[] p = cg.x();
        LineSearch.Step ls = lineSearch.search(objective, x, e.value(), g, p, 1);
        diagnostics.put("line_search_step", ls.length());
        if (!ls.accepted()) {
            return new Step(new double[x.length], cg.iterations(), cg.relativeResidual(), ls.evaluations(),
                    Math.min(MAX_DAMPING, Math.max(4 * alpha, 1e-4)), radius);
        }
        // the damped model's decrease at t·p: −(t gᵀp + ½t² pᵀ(B + αI)p) = −gᵀp (t − t²/2)
        double t = ls.length();
        double rho = (e.value() - ls.value()) / (-Vectors.dot(g, p) * (t - 0.5 * t * t));
        diagnostics.put("ratio", rho);
        double next = t == 1 && rho > 0.75 ? Math.max(settings.minDamping(), alpha / 3)
                : t < 1 || rho < 0.25 ? Math.min(MAX_DAMPING, Math.max(2 * alpha, settings.minDamping())) : alpha;
        return new Step(Vectors.scaled(t, p), cg.iterations(), cg.relativeResidual(), ls.evaluations(), next, radius);
    }

    /** Steihaug-CG in the radius Δ; the step taken if ρ > 0.1; Δ/4 if ρ < ¼, 2Δ if ρ > ¾ at the boundary. */
    private Step trustRegionStep(Objective objective, double[] x, Evaluation e, LinearOperator b, double alpha, double radius,
                                 Map<String, Double> diagnostics) {
        Steihaug.Result tr = new Steihaug(settings.cgTolerance(), settings.cgIterations())
                .solve(alpha > 0 ? b.shifted(alpha) : b, e.gradient(), radius);
        double rho = (e.value() - objective.value(Vectors.plus(x, 1, tr.step()))) / tr.predictedDecrease();
        diagnostics.put("ratio", rho);
        diagnostics.put("radius", radius);
        double next = rho < 0.25 ? radius / 4 : rho > 0.75 && tr.stop() == Steihaug.Stop.BOUNDARY ? 2 * radius : radius;
        return new Step(rho > 0.1 ? tr.step() : new double[x.length], tr.iterations(), tr.relativeResidual(), 1, alpha, next);
    }
}
