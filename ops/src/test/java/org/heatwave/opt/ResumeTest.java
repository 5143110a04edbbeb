package org.heatwave.opt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact resume (issue 14): an optimiser stopped after iteration {@code k} and continued from the point and
 * the {@link OptimizerState} it reported there produces, bit for bit, the iterates and reports of the run
 * that never stopped — on a sampled problem, so the samples, the data-pass budget and the optimiser's
 * memory (momentum, moments, L-BFGS pairs and cached evaluation, damping, trust radius) all matter.
 */
class ResumeTest {
    private static final ReferenceProblems.SoftmaxRegression PROBLEM = ReferenceProblems.softmax(120, 4, 3, 1e-2, 5);

    static Stream<Arguments> optimizers() {
        int n = PROBLEM.examples();
        Sampler sampler = new Sampler(9, new Shards(n, 4), 20);
        SampleSchedule samples = new SampleSchedule(sampler, 60, 3);
        LearningRate lr = new LearningRate(0.5, "cosine", 2, 40);
        List<Supplier<Optimizer>> makers = List.of(
                () -> new StochasticGradient<>("sgd", SgdMomentum.withoutDecay(0.9, true), sampler, lr),
                () -> new StochasticGradient<>("adam", new Adam(), sampler, new LearningRate(0.05, "cosine", 0, 40)),
                () -> new Lbfgs(4, samples),
                () -> new GaussNewton("sgn", samples, new GaussNewton.Settings(GaussNewton.Globalization.LINE_SEARCH, 1e-2, 1, 1e-3, 4)),
                () -> new GaussNewton("sgn", samples, new GaussNewton.Settings(GaussNewton.Globalization.TRUST_REGION, 0, 0.5, 1e-3, 4)));
        return makers.stream().map(m -> Arguments.of(m.get().name(), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingGivesTheUninterruptedRunBitForBit(String name, Supplier<Optimizer> make) {
        Optimizer.Budget budget = new Optimizer.Budget(12, 30.0);
        double[] x0 = new double[PROBLEM.dimension()];
        RunRecorder whole = new RunRecorder(-1);
        double[] xWhole = x0.clone();
        Optimizer.Result r = make.get().minimize(PROBLEM, xWhole, budget, whole);

        for (long k : new long[] {1, 4, 7}) {
            RunRecorder first = new RunRecorder(k);
            double[] x = x0.clone();
            make.get().minimize(PROBLEM, x, budget, first);
            RunRecorder rest = new RunRecorder(-1);
            double[] resumed = first.pointAtStop.clone();
            Optimizer.Result r2 = make.get().minimize(PROBLEM, resumed, budget, rest, first.stateAtStop);
            List<String> joined = new ArrayList<>(first.reports);
            joined.addAll(rest.reports);
            assertEquals(whole.reports, joined, name + " resumed after " + k);
            assertArrayEquals(xWhole, resumed, 0, name + " resumed after " + k);
            assertEquals(r, r2, name + ": iterations, data passes and stop");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void anotherOptimisersStateIsRefused(String name, Supplier<Optimizer> make) {
        OptimizerState foreign = new OptimizerState("not-" + name, 3, 10, java.util.Map.of(), java.util.Map.of());
        assertThrows(IllegalArgumentException.class, () -> make.get().minimize(PROBLEM, new double[PROBLEM.dimension()],
                Optimizer.Budget.iterations(5), Optimizer.Listener.NONE, foreign));
    }
}
