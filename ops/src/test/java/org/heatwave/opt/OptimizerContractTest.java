package org.heatwave.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.heatwave.linalg.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared optimiser tests (STYLE.md: every optimiser on the reference problems): each optimiser reaches
 * each problem's known minimum — value within a tolerance and, where the minimiser is unique, the minimiser —
 * within an iteration budget that reflects its kind (Gauss–Newton: a handful; L-BFGS: tens; first-order
 * methods: thousands, on the convex problems only). The softmax regression's minimiser comes from an
 * independent solver (Commons Math's nonlinear conjugate gradients).
 */
class OptimizerContractTest {
    private static final ReferenceProblems.SoftmaxRegression SOFTMAX = ReferenceProblems.softmax(300, 5, 3, 1e-2, 21);

    private static final double[] SOFTMAX_STAR = independentSoftmaxMinimiser();

    /**
     * The softmax regression's minimiser, independently of heatwave's optimisers: Commons Math's Polak–Ribière
     * conjugate gradients, polished by Newton steps with a Hessian from central differences of the gradient
     * and Commons Math's LU solve — converged to ‖∇f‖ ≤ 1e-10.
     */
    private static double[] independentSoftmaxMinimiser() {
        Objective f = SOFTMAX.on(IntStream.range(0, SOFTMAX.examples()).toArray());
        NonLinearConjugateGradientOptimizer cg = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-12, 1e-12));
        double[] x = cg.optimize(new MaxEval(100_000), GoalType.MINIMIZE, new InitialGuess(new double[SOFTMAX.dimension()]),
                new ObjectiveFunction(v -> f.evaluate(v).value()), new ObjectiveFunctionGradient(v -> f.evaluate(v).gradient()))
                .getPoint();
        int n = x.length;
        for (int newton = 0; newton < 8; newton++) {
            double[][] h = new double[n][n];
            double eps = 1e-5;
            for (int j = 0; j < n; j++) {
                double[] plus = x.clone(), minus = x.clone();
                plus[j] += eps;
                minus[j] -= eps;
                double[] gp = f.evaluate(plus).gradient(), gm = f.evaluate(minus).gradient();
                for (int i = 0; i < n; i++) {
                    h[i][j] = (gp[i] - gm[i]) / (2 * eps);
                }
            }
            RealVector step = new LUDecomposition(new Array2DRowRealMatrix(h)).getSolver()
                    .solve(new ArrayRealVector(f.evaluate(x).gradient()));
            for (int i = 0; i < n; i++) {
                x[i] -= step.getEntry(i);
            }
        }
        double gradient = Vectors.norm(f.evaluate(x).gradient());
        if (gradient > 1e-10) {
            throw new IllegalStateException("the independent softmax-regression solution is not converged: ‖∇f‖ = " + gradient);
        }
        return x;
    }

    private static ReferenceProblems.Problem softmaxProblem() {
        Objective full = SOFTMAX.on(IntStream.range(0, SOFTMAX.examples()).toArray());
        return new ReferenceProblems.Problem("softmax regression", SOFTMAX, new double[SOFTMAX.dimension()],
                full.value(SOFTMAX_STAR), SOFTMAX_STAR);
    }

    private static List<ReferenceProblems.Problem> secondOrderProblems() {
        return List.of(ReferenceProblems.quadratic(), ReferenceProblems.rosenbrock(),
                ReferenceProblems.leastSquares("ill-conditioned least squares", 200, 20, 20, 1e3, 31),
                ReferenceProblems.leastSquares("rank-deficient least squares", 200, 20, 12, 1e2, 41), softmaxProblem());
    }

    /** An optimiser for a problem with N examples, run on all of them. */
    private record Case(String optimizer, Function<Integer, Optimizer> make, ReferenceProblems.Problem problem, long iterations,
                        double valueTolerance, double pointTolerance) {
        @Override
        public String toString() {
            return optimizer + " on " + problem;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (ReferenceProblems.Problem p : secondOrderProblems()) {
            boolean rosenbrock = p.name().equals("rosenbrock");
            cases.add(new Case("sgn (line search)", n -> gaussNewton(n, GaussNewton.Globalization.LINE_SEARCH), p,
                    rosenbrock ? 60 : 12, 1e-10, 1e-6));
            cases.add(new Case("sgn (trust region)", n -> gaussNewton(n, GaussNewton.Globalization.TRUST_REGION), p,
                    rosenbrock ? 80 : 25, 1e-10, 1e-6));
            // L-BFGS on the least-squares problems, whose Hessians have condition 1e6 (ill-conditioned) and
            // 1e4 on their range (rank-deficient): slow, as expected of a limited-memory method; the point is then
            // as accurate as the value allows along the flattest direction (‖δ‖ ≈ sqrt(2Δf/λ_min))
            boolean leastSquares = p.name().contains("least squares");
            cases.add(new Case("lbfgs", n -> new Lbfgs(10, new SampleSchedule(new Sampler(1, n, 1), n, Integer.MAX_VALUE)), p,
                    rosenbrock ? 100 : leastSquares ? 3000 : 200, 1e-10, leastSquares ? 1e-4 : 1e-5));
        }
        for (ReferenceProblems.Problem p : List.of(ReferenceProblems.quadratic(), softmaxProblem())) {
            boolean softmax = p.name().startsWith("softmax");
            double tol = softmax ? 1e-4 : 1e-10;
            double pointTol = softmax ? 3e-2 : 1e-6;
            cases.add(new Case("sgd momentum", n -> firstOrder(n, SgdMomentum.withoutDecay(0.9, false), softmax ? 0.5 : 0.01), p,
                    3000, tol, pointTol));
            cases.add(new Case("sgd nesterov", n -> firstOrder(n, SgdMomentum.withoutDecay(0.9, true), softmax ? 0.5 : 0.01), p,
                    3000, tol, pointTol));
            cases.add(new Case("adam", n -> firstOrder(n, new Adam(), softmax ? 0.01 : 0.05), p, 3000, tol, pointTol));
        }
        return cases.stream().map(Arguments::of);
    }

    /** Full-sample Gauss–Newton; damped (adaptively) with the line search, undamped in the trust region. */
    private static GaussNewton gaussNewton(int n, GaussNewton.Globalization g) {
        return new GaussNewton("sgn", new SampleSchedule(new Sampler(1, n, 1), n, Integer.MAX_VALUE),
                new GaussNewton.Settings(g, g == GaussNewton.Globalization.LINE_SEARCH ? 1e-3 : 0, 1, 1e-10, 200));
    }

    /** Full batches for deterministic problems; batches of 30 with a cosine schedule for the sampled one. */
    private static <S> Optimizer firstOrder(int n, UpdateRule<S> rule, double lr) {
        int batch = n == 1 ? 1 : 30;
        return new StochasticGradient<>("first-order", rule, new Sampler(3, n, batch), new LearningRate(lr, "cosine", 0, 3000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reachesTheKnownMinimum(Case c) {
        ReferenceProblems.Problem p = c.problem();
        double[] x = p.x0().clone();
        long[] seen = {0};
        Optimizer.Result r = c.make().apply(p.objective().examples()).minimize(p.objective(), x,
                Optimizer.Budget.iterations(c.iterations()), (it, point) -> {
                    seen[0] = it.number();
                    return true;
                });
        assertTrue(r.iterations() <= c.iterations());
        assertEquals(r.iterations(), seen[0], "every iteration is reported");
        double value = p.objective().on(IntStream.range(0, p.objective().examples()).toArray()).value(x);
        double scale = Math.max(1, Math.abs(p.fStar()));
        assertTrue(value - p.fStar() <= c.valueTolerance() * scale,
                c + ": f = " + value + ", minimum " + p.fStar() + " (" + r + ")");
        if (p.xStar() != null) {
            double err = Vectors.norm(Vectors.minus(x, p.xStar())) / Math.max(1, Vectors.norm(p.xStar()));
            assertTrue(err <= c.pointTolerance(), c + ": ‖x − x*‖/‖x*‖ = " + err + " (" + r + ")");
        }
    }

    @Test
    void stochasticGaussNewtonOnResampledSubsetsGetsCloseToTheFullMinimum() {
        ReferenceProblems.Problem p = softmaxProblem();
        int n = p.objective().examples();
        double[] x = p.x0().clone();
        List<Double> losses = new ArrayList<>();
        new GaussNewton("sgn", new SampleSchedule(new Sampler(5, n, 1), 100, 3), new GaussNewton.Settings(
                GaussNewton.Globalization.LINE_SEARCH, 1e-2, 1, 1e-3, 10)).minimize(p.objective(), x, Optimizer.Budget.iterations(12),
                (it, point) -> losses.add(it.loss()));
        double value = p.objective().on(IntStream.range(0, n).toArray()).value(x);
        double start = p.objective().on(IntStream.range(0, n).toArray()).value(p.x0());
        // a third of the data per sample: the samples' minimisers scatter around the full one (here 2 % of the initial gap)
        assertTrue(value - p.fStar() < 0.04 * (start - p.fStar()), "f = " + value + ", minimum " + p.fStar() + ", start " + start);
        assertEquals(12, losses.size());
    }

    @Test
    void gaussNewtonCountsEveryProductAndEvaluationAsDataPasses() {
        ReferenceProblems.Problem p = ReferenceProblems.leastSquares("ls", 100, 10, 10, 10, 51);
        int n = p.objective().examples();
        List<Optimizer.Iteration> its = new ArrayList<>();
        new GaussNewton("sgn", new SampleSchedule(new Sampler(1, n, 1), 25, 2), new GaussNewton.Settings(
                GaussNewton.Globalization.LINE_SEARCH, 1e-3, 1, 1e-6, 5)).minimize(p.objective(), p.x0().clone(),
                Optimizer.Budget.iterations(4), (it, x) -> its.add(it));
        double passes = 0;
        for (Optimizer.Iteration it : its) {
            // one gradient, the CG products and the line-search values, each over the sample of 25 of 100
            passes += (1 + it.cgIterations() + it.lineSearchEvaluations()) * 25 / 100.0;
            assertEquals(passes, it.dataPasses(), 1e-12);
            assertTrue(it.cgIterations() >= 1 && it.cgIterations() <= 5);
        }
        assertEquals(4, its.size());
    }

    /** The damping falls by 3 after every step the model predicted well — down to the floor, and no further. */
    @Test
    void theDampingFallsNoLowerThanItsFloor() {
        ReferenceProblems.Problem p = ReferenceProblems.leastSquares("ls", 100, 10, 10, 10, 51);
        int n = p.objective().examples();
        for (double floor : new double[] {GaussNewton.MIN_DAMPING, 0.05}) {
            List<Double> damping = new ArrayList<>();
            new GaussNewton("sgn", new SampleSchedule(new Sampler(1, n, 1), n, 100), new GaussNewton.Settings(
                    GaussNewton.Globalization.LINE_SEARCH, 1, 1, 1e-6, 10, floor)).minimize(p.objective(), p.x0().clone(),
                    Optimizer.Budget.iterations(8), (it, x) -> damping.add(it.diagnostics().get("damping")));
            double least = damping.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertTrue(least >= floor, "floor " + floor + ": " + damping);
            if (floor > GaussNewton.MIN_DAMPING) {
                assertEquals(floor, damping.get(damping.size() - 1), 0, "reached: " + damping);
            } else {
                assertTrue(least < 0.05, "without a floor it falls further: " + damping);
            }
        }
    }

    @Test
    void subsampledCurvatureCountsItsProductsOverTheSubsampleOnly() {
        ReferenceProblems.Problem p = ReferenceProblems.leastSquares("ls", 100, 10, 10, 10, 51);
        int n = p.objective().examples();
        List<Optimizer.Iteration> its = new ArrayList<>();
        new GaussNewton("sgn", new SampleSchedule(new Sampler(1, n, 1), 50, 2, 10), new GaussNewton.Settings(
                GaussNewton.Globalization.LINE_SEARCH, 1e-3, 1, 1e-6, 5)).minimize(p.objective(), p.x0().clone(),
                Optimizer.Budget.iterations(4), (it, x) -> its.add(it));
        double passes = 0;
        for (Optimizer.Iteration it : its) {
            // the gradient and the line-search values over the sample of 50, the CG products over 10 of them
            passes += ((1 + it.lineSearchEvaluations()) * 50 + it.cgIterations() * 10) / 100.0;
            assertEquals(passes, it.dataPasses(), 1e-12);
            assertEquals(10.0, it.diagnostics().get("curvature_sample"));
        }
        assertEquals(4, its.size());
    }

    /**
     * Byrd et al.'s point: a tenth of the sample is enough curvature. On the softmax regression the same budget of
     * iterations gets as close to the minimum with products over 10 of 100 examples as with all 100 (and the same
     * sample of 100 for the gradient) with a third of the data passes or less.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("globalizations")
    void subsampledCurvatureReachesTheFullSamplesProgressForLessData(GaussNewton.Globalization g) {
        ReferenceProblems.Problem p = softmaxProblem();
        int n = p.objective().examples();
        double full = p.objective().on(IntStream.range(0, n).toArray()).value(p.x0());
        double[] gap = new double[2];
        double[] passes = new double[2];
        int k = 0;
        for (int curvature : new int[] {0, 10}) {
            double[] x = p.x0().clone();
            Optimizer.Result r = new GaussNewton("sgn", new SampleSchedule(new Sampler(5, n, 1), 100, 3, curvature),
                    new GaussNewton.Settings(g, g == GaussNewton.Globalization.LINE_SEARCH ? 1e-2 : 1e-3, 1, 1e-3, 10))
                    .minimize(p.objective(), x, Optimizer.Budget.iterations(12), Optimizer.Listener.NONE);
            gap[k] = (p.objective().on(IntStream.range(0, n).toArray()).value(x) - p.fStar()) / (full - p.fStar());
            passes[k++] = r.dataPasses();
        }
        assertTrue(gap[1] < 0.06, g + ": subsampled curvature left " + gap[1] + " of the gap (whole sample " + gap[0] + ")");
        assertTrue(passes[1] < 0.5 * passes[0], g + ": " + passes[1] + " passes against " + passes[0]);
    }

    static Stream<GaussNewton.Globalization> globalizations() {
        return Stream.of(GaussNewton.Globalization.values());
    }

    @Test
    void theBudgetInDataPassesStopsEveryOptimiser() {
        ReferenceProblems.Problem p = softmaxProblem();
        int n = p.objective().examples();
        for (Optimizer o : List.of(gaussNewton(n, GaussNewton.Globalization.LINE_SEARCH), firstOrder(n, new Adam(), 0.01),
                new Lbfgs(5, new SampleSchedule(new Sampler(1, n, 1), 100, 3)))) {
            double[] before = {0};
            double[] last = {0};
            Optimizer.Result r = o.minimize(p.objective(), p.x0().clone(), new Optimizer.Budget(1_000_000, 2.0), (it, x) -> {
                before[0] = last[0];
                last[0] = it.dataPasses();
                return true;
            });
            assertTrue(r.dataPasses() >= 2.0 && before[0] < 2.0, o.name() + " stops at the first iteration past the budget: " + r);
            assertEquals(last[0], r.dataPasses(), 1e-12);
        }
    }
}
