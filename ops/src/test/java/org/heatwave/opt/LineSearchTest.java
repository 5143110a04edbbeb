package org.heatwave.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.linalg.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The accepted steps satisfy the conditions each line search promises — Armijo's sufficient decrease, the
 * strong Wolfe conditions — on Rosenbrock's function along steepest descent (where the unit step is far
 * too long) and along a direction whose minimiser lies well beyond the first trial (so Wolfe must expand).
 */
class LineSearchTest {
    private final Objective rosenbrock = ReferenceProblems.rosenbrock().objective().on(new int[] {0});

    @Test
    void armijoBacktracksToSufficientDecrease() {
        double[] x = {-1.2, 1};
        Evaluation e = rosenbrock.evaluate(x);
        double[] d = Vectors.scaled(-1, e.gradient());
        LineSearch.Step s = new Armijo().search(rosenbrock, x, e.value(), e.gradient(), d, 1);
        assertTrue(s.accepted());
        assertTrue(s.length() < 1, "the unit step along the raw gradient is far too long");
        assertEquals(rosenbrock.value(Vectors.plus(x, s.length(), d)), s.value(), 0);
        assertTrue(s.value() <= e.value() + 1e-4 * s.length() * Vectors.dot(e.gradient(), d));
        assertTrue(s.evaluations() > 1);
    }

    @Test
    void wolfeStepsSatisfyTheStrongWolfeConditions() {
        for (double initial : new double[] {1, 1e-6}) {
            double[] x = {-1.2, 1};
            Evaluation e = rosenbrock.evaluate(x);
            double[] d = Vectors.scaled(-1, e.gradient());
            double slope0 = Vectors.dot(e.gradient(), d);
            LineSearch.Step s = new Wolfe().search(rosenbrock, x, e.value(), e.gradient(), d, initial);
            assertTrue(s.accepted(), "initial " + initial);
            double slope = Vectors.dot(s.evaluation().gradient(), d);
            assertTrue(s.value() <= e.value() + 1e-4 * s.length() * slope0, "sufficient decrease, initial " + initial);
            assertTrue(Math.abs(slope) <= 0.9 * Math.abs(slope0), "curvature, initial " + initial);
            assertEquals(rosenbrock.value(Vectors.plus(x, s.length(), d)), s.value(), 0);
        }
    }

    @Test
    void bothRejectAscentDirections() {
        double[] x = {0.5, 0.5};
        Evaluation e = rosenbrock.evaluate(x);
        double[] up = e.gradient().clone();
        assertThrows(IllegalArgumentException.class, () -> new Armijo().search(rosenbrock, x, e.value(), e.gradient(), up, 1));
        assertThrows(IllegalArgumentException.class, () -> new Wolfe().search(rosenbrock, x, e.value(), e.gradient(), up, 1));
    }
}
