package org.heatwave.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import static org.heatwave.testkit.Matrices.spd;

/**
 * CG solves symmetric positive definite systems (n = 100, condition 1e4) to the requested residual, stops
 * at non-positive curvature, and its iterates satisfy the identity {@code pᵀAp = bᵀp} the Gauss–Newton
 * damping relies on; Steihaug-CG stays in the trust region, equals CG when the solution is inside, reaches
 * the boundary along negative curvature, and reports its model decrease exactly.
 */
class SolversTest {

    private static double[] apply(LinearOperator a, double[] v) {
        double[] out = new double[v.length];
        a.apply(v, out);
        return out;
    }

    @Test
    void cgSolvesAnIllConditionedSpdSystem() {
        int n = 100;
        LinearOperator a = LinearOperator.of(spd(n, 1e4, 1));
        double[] b = Fixtures.normal(n, 1, 2);
        int[] calls = {0};
        // In exact arithmetic n iterations; in float64 the lost orthogonality delays it (404 here), within the
        // Chebyshev bound ½√κ·ln(2/ε) ≈ 1,150 — steepest descent would need about κ·ln(1/ε)/2 ≈ 115,000.
        double bound = 0.5 * Math.sqrt(1e4) * Math.log(2 / 1e-10);
        ConjugateGradient.Result r = new ConjugateGradient(1e-10, 20 * n).solve(a, b, (k, res) -> calls[0] = k);
        assertEquals(ConjugateGradient.Stop.CONVERGED, r.stop());
        assertTrue(r.iterations() <= bound, "iterations " + r.iterations() + " > " + bound);
        assertEquals(r.iterations(), calls[0], "the listener hears every iteration");
        double[] residual = Vectors.minus(b, apply(a, r.x()));
        assertTrue(Vectors.norm(residual) <= 1.01e-10 * Vectors.norm(b), "true residual " + Vectors.norm(residual));
    }

    @Test
    void cgIteratesSatisfyTheGalerkinIdentity() {
        int n = 40;
        LinearOperator a = LinearOperator.of(spd(n, 100, 3)).shifted(0.5);
        double[] b = Fixtures.normal(n, 1, 4);
        for (int its = 1; its <= 6; its++) {
            double[] p = new ConjugateGradient(1e-14, its).solve(a, b).x();
            assertEquals(Vectors.dot(b, p), Vectors.dot(p, apply(a, p)), 1e-10 * Vectors.dot(b, p), its + " iterations");
        }
    }

    @Test
    void cgStopsAtNonPositiveCurvature() {
        double[][] indefinite = {{1, 0}, {0, -1}};
        ConjugateGradient.Result r = new ConjugateGradient(1e-8, 10).solve(LinearOperator.of(indefinite), new double[] {0, 1});
        assertEquals(ConjugateGradient.Stop.NEGATIVE_CURVATURE, r.stop());
        assertTrue(Vectors.dot(r.x(), new double[] {0, 1}) > 0, "returns a descent direction for -g = b");
        assertThrows(IllegalArgumentException.class, () -> new ConjugateGradient(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ConjugateGradient(1e-3, 0));
    }

    @Test
    void steihaugEqualsCgInsideAndStopsAtTheBoundary() {
        int n = 30;
        LinearOperator b = LinearOperator.of(spd(n, 50, 5));
        double[] g = Fixtures.normal(n, 1, 6);
        double[] newton = new ConjugateGradient(1e-12, 200).solve(b, Vectors.scaled(-1, g)).x();
        Steihaug st = new Steihaug(1e-12, 200);
        Steihaug.Result inside = st.solve(b, g, 2 * Vectors.norm(newton));
        assertEquals(Steihaug.Stop.CONVERGED, inside.stop());
        assertTrue(Vectors.norm(Vectors.minus(inside.step(), newton)) < 1e-8 * Vectors.norm(newton));

        double radius = 0.3 * Vectors.norm(newton);
        Steihaug.Result boundary = st.solve(b, g, radius);
        assertEquals(Steihaug.Stop.BOUNDARY, boundary.stop());
        assertEquals(radius, Vectors.norm(boundary.step()), 1e-10 * radius);
        for (Steihaug.Result r : new Steihaug.Result[] {inside, boundary}) {
            double[] p = r.step();
            double model = Vectors.dot(g, p) + 0.5 * Vectors.dot(p, apply(b, p));
            assertEquals(-model, r.predictedDecrease(), 1e-9 * Math.abs(model));
            assertTrue(r.predictedDecrease() > 0);
        }
    }

    @Test
    void steihaugFollowsNegativeCurvatureToTheBoundary() {
        double[][] indefinite = {{-2, 0}, {0, 1}};
        double[] g = {1, 1};
        Steihaug.Result r = new Steihaug(1e-8, 10).solve(LinearOperator.of(indefinite), g, 3);
        assertEquals(3, Vectors.norm(r.step()), 1e-12);
        double[] p = r.step();
        double model = Vectors.dot(g, p) + 0.5 * Vectors.dot(p, apply(LinearOperator.of(indefinite), p));
        assertEquals(-model, r.predictedDecrease(), 1e-12);
        assertTrue(r.predictedDecrease() > 0);
    }
}
