package org.heatwave.net;

import org.heatwave.layer.Layer;
import org.heatwave.linalg.ConjugateGradient;
import org.heatwave.linalg.Vectors;
import org.heatwave.loss.LossResult;
import org.heatwave.tensor.FeatureMap;

/**
 * The inner problem of variable projection (seeds 002 and 003): for fixed features {@code Y} of {@code m}
 * examples, the classifier {@code w = (W, μ)} minimising
 * <pre>Φ(w) = (1/m) Σᵢ CE(C(w) Yᵢ, yᵢ) + ½α‖w‖²</pre>
 * — softmax regression, strictly convex for α &gt; 0 (without α on μ and on W a common shift of the classes'
 * scores would leave it unchanged). Solved by Newton–CG: the Hessian is the Gauss–Newton operator here
 * ({@code C} is linear in w), applied through the classifier layer's tangent and adjoint passes; Armijo
 * steps; stops when {@code ‖∇Φ‖ ≤ tolerance}. Warm-started from the previous θ's solution it takes a few
 * iterations. The sums run where the {@link ClassifierData} is: on the driver for small features (pooled),
 * as Spark jobs over the executors' cached features for large ones (the full head's).
 */
public final class ClassifierSolve {
    private final Layer classifier;
    private final double alpha;
    private final double tolerance;
    private final int maxIterations;

    /**
     * @param alpha         α &gt; 0
     * @param tolerance     the gradient norm to stop at
     * @param maxIterations cap on Newton iterations
     */
    public ClassifierSolve(Layer classifier, double alpha, double tolerance, int maxIterations) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("the classifier's Tikhonov weight must be > 0 (it makes the problem strictly convex), got " + alpha);
        }
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("classifier solve needs tolerance > 0 and >= 1 iteration, got " + tolerance + ", "
                    + maxIterations);
        }
        this.classifier = classifier;
        this.alpha = alpha;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    public double alpha() {
        return alpha;
    }

    /**
     * @param w             the minimiser (to the tolerance)
     * @param value         Φ(w)
     * @param gradientNorm  ‖∇Φ(w)‖
     * @param iterations    Newton iterations
     * @param cgIterations  CG iterations in all
     * @param accuracy      fraction of the examples classified correctly at w
     */
    public record Solution(double[] w, double value, double gradientNorm, int iterations, int cgIterations, double accuracy) {
    }

    /** Value and gradient at {@code w}. */
    private record Point(double value, double[] gradient, double accuracy) {
    }

    /** The minimiser for features held in memory. */
    public Solution solve(FeatureMap features, int[] labels, double[] start) {
        return solve(ClassifierData.local(classifier, features, labels), start);
    }

    /** The minimiser over {@code data} (in memory or distributed), from {@code start}. */
    public Solution solve(ClassifierData data, double[] start) {
        double[] w = start.clone();
        int m = data.count();
        Point p = evaluate(data, w);
        int iterations = 0;
        int cgTotal = 0;
        while (Vectors.norm(p.gradient()) > tolerance && iterations < maxIterations) {
            double[] at = w.clone();
            ConjugateGradient.Result cg = new ConjugateGradient(0.1, 50).solve((v, out) -> {
                java.util.Arrays.fill(out, 0);
                data.hessianProduct(at, v, out);
                for (int i = 0; i < out.length; i++) {
                    out[i] = out[i] / m + alpha * v[i];
                }
            }, Vectors.scaled(-1, p.gradient()));
            cgTotal += cg.iterations();
            double slope = Vectors.dot(p.gradient(), cg.x());
            double t = 1;
            Point next = null;
            for (int trial = 0; trial < 30; trial++, t /= 2) {
                Point q = evaluate(data, Vectors.plus(w, t, cg.x()));
                if (q.value() <= p.value() + 1e-4 * t * slope) {
                    next = q;
                    break;
                }
            }
            iterations++;
            if (next == null) {
                break; // no decrease left at float32 resolution
            }
            Vectors.axpy(t, cg.x(), w);
            p = next;
        }
        return new Solution(w, p.value(), Vectors.norm(p.gradient()), iterations, cgTotal, p.accuracy());
    }

    private Point evaluate(ClassifierData data, double[] w) {
        double[] g = new double[w.length];
        LossResult loss = data.lossAndGradient(w, g);
        int m = data.count();
        double value = loss.loss() / m;
        for (int i = 0; i < w.length; i++) {
            g[i] = g[i] / m + alpha * w[i];
            value += 0.5 * alpha * w[i] * w[i];
        }
        return new Point(value, g, loss.accuracy());
    }
}
