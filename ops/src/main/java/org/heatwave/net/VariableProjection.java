package org.heatwave.net;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.opt.Evaluation;
import org.heatwave.opt.Objective;
import org.heatwave.opt.ReducedObjective;
import org.heatwave.opt.SampledObjective;
import org.heatwave.reg.Regularizer;

/**
 * Variable projection (seeds 002 and 003; Golub and Pereyra): the network's parameters split into the
 * feature parameters θ_f and the classifier's {@code w}, on which the objective
 * {@code Φ(θ_f, w) = (1/m) Σ CE(C(w) φ(θ_f; xᵢ), yᵢ) + ½α‖w‖² + R(θ_f)} is strictly convex; the optimiser moves
 * θ_f only, on the reduced objective
 * <pre>F(θ_f) = Φ(θ_f, w*(θ_f)),   w*(θ_f) = argmin_w Φ(θ_f, w)   ({@link ClassifierSolve}).</pre>
 * <ul>
 *   <li>Gradient: {@code ∇F = ∂_{θ_f}Φ(θ_f, w*)} — the envelope theorem ({@code ∂_wΦ = 0} at {@code w*}); exact
 *       only as far as the inner solve is, which the Taylor test of F checks.</li>
 *   <li>Gauss–Newton: the full network's operator restricted to θ_f at fixed {@code w*},
 *       {@code J_fᵀ H J_f + ∇²R}, dropping the coupling through the derivative of {@code w*} in θ_f. The exact reduced Hessian
 *       {@code Φ_ff − Φ_fw Φ_ww⁻¹ Φ_wf} would need an inner solve per product; the restricted operator is
 *       positive semi-definite, costs one tangent and one adjoint pass per product like plain Gauss–Newton,
 *       and is the choice of Newman, Ruthotto, Hart and van Bloemen Waanders, "Train Like a (Var)Pro" (2021).</li>
 *   <li>A value alone (line searches) costs one forward pass for the features and the inner solve.</li>
 * </ul>
 * Where the sums run is abstracted: {@code full} evaluates Φ and its Gauss–Newton operator over a sample
 * ({@link ClassificationObjective} locally, the Spark objective distributed) with the regularisers
 * {@code R(θ_f)} and {@code ½α‖w‖²}; {@link Features} computes a sample's features. Each evaluation warm-starts
 * the inner solve from the previous solution (a deterministic sequence, so a seed still fixes the result).
 */
public final class VariableProjection implements ReducedObjective {

    /** The features {@code φ(θ_f; xᵢ)} of a sample, with their labels, as the classifier problem's data. */
    @FunctionalInterface
    public interface Features {
        /** The classifier problem on the examples {@code indices} (ascending) at the feature parameters {@code thetaF}. */
        ClassifierData of(double[] thetaF, int[] indices);
    }

    private final SampledObjective full;
    private final Features features;
    private final ClassifierSolve solve;
    private final List<Regularizer> featureRegularizers;
    private final int featureCount;
    private double[] classifier;
    private String phase = "";

    /**
     * @param full                the objective in all parameters (θ_f, then w), with regularisers
     *                            {@code featureRegularizers} and {@code ½α‖w‖²}
     * @param initialClassifier   the inner solve's first start
     */
    public VariableProjection(SampledObjective full, Features features, ClassifierSolve solve,
                              List<Regularizer> featureRegularizers, double[] initialClassifier) {
        this.full = full;
        this.features = features;
        this.solve = solve;
        this.featureRegularizers = List.copyOf(featureRegularizers);
        this.featureCount = full.dimension() - initialClassifier.length;
        this.classifier = initialClassifier.clone();
    }

    /** The local reduced objective of {@code net} on examples in memory (regularisers built consistently). */
    public static VariableProjection local(Network net, org.heatwave.tensor.Batch images, int[] labels,
                                           List<Regularizer> featureRegularizers, ClassifierSolve solve, double[] theta, int chunk) {
        return local(net, images, labels, featureRegularizers, solve, theta, chunk, 0);
    }

    /**
     * As {@link #local(Network, org.heatwave.tensor.Batch, int[], List, ClassifierSolve, double[], int)}, both the full
     * objective and the classifier problem against targets smoothed by {@code labelSmoothing}.
     */
    public static VariableProjection local(Network net, org.heatwave.tensor.Batch images, int[] labels,
                                           List<Regularizer> featureRegularizers, ClassifierSolve solve, double[] theta, int chunk,
                                           double labelSmoothing) {
        int off = net.classifierOffset();
        boolean[] classifierMask = new boolean[net.paramCount()];
        java.util.Arrays.fill(classifierMask, off, net.paramCount(), true);
        List<Regularizer> all = new java.util.ArrayList<>(featureRegularizers);
        all.add(new org.heatwave.reg.Tikhonov(solve.alpha(), classifierMask));
        ClassificationObjective objective = new ClassificationObjective(net, images, labels, all, chunk,
                new org.heatwave.augment.Augmentation(0, false, org.heatwave.conv.Boundary.PERIODIC, labelSmoothing, 0));
        Features local = (thetaF, indices) -> {
            org.heatwave.layer.Layer.Bound bound = net.features().bind(thetaF, 0);
            int[] sampleLabels = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                sampleLabels[k] = labels[indices[k]];
            }
            return ClassifierData.local(net.classifier(), bound.forward(images.gather(indices, 0, indices.length).toFeatureMap())
                    .output(), sampleLabels, labelSmoothing);
        };
        return new VariableProjection(objective, local, solve, featureRegularizers,
                java.util.Arrays.copyOfRange(theta, off, theta.length));
    }

    @Override
    public int dimension() {
        return featureCount;
    }

    @Override
    public int examples() {
        return full.examples();
    }

    @Override
    public void project(double[] x) {
        double[] all = assemble(x);
        full.project(all);
        System.arraycopy(all, 0, x, 0, featureCount);
    }

    @Override
    public void phase(String description) {
        phase = description;
        full.phase(description);
    }

    /** The classifier of the last inner solve. */
    public double[] classifier() {
        return classifier.clone();
    }

    /** The full parameter vector: {@code thetaF} followed by the last inner solution. */
    @Override
    public double[] assemble(double[] thetaF) {
        double[] all = java.util.Arrays.copyOf(thetaF, featureCount + classifier.length);
        System.arraycopy(classifier, 0, all, featureCount, classifier.length);
        return all;
    }

    /** The reduced objective on the examples {@code indices} (taken in ascending order; the mean does not care). */
    @Override
    public Objective on(int[] unsorted) {
        int[] indices = unsorted.clone();
        java.util.Arrays.sort(indices);
        Objective fullOn = full.on(indices);
        return new Objective() {
            @Override
            public int dimension() {
                return featureCount;
            }

            @Override
            public Evaluation evaluate(double[] thetaF) {
                ClassifierSolve.Solution s = inner(thetaF);
                Evaluation e = fullOn.evaluate(assemble(thetaF));
                double[] g = java.util.Arrays.copyOf(e.gradient(), featureCount);
                LinearOperator restricted = restricted(e.gaussNewton());
                Map<String, Double> diagnostics = new HashMap<>(e.diagnostics());
                putInner(diagnostics, s);
                return Evaluation.of(e.value(), g, restricted, diagnostics);
            }

            /**
             * The restricted operator {@code J_fᵀ H J_f + ∇²R} on these examples at {@code (θ_f, w)}, {@code w} the
             * classifier of the last inner solve (on the gradient's sample, when this is a curvature subsample of it):
             * no inner solve here.
             */
            @Override
            public LinearOperator gaussNewton(double[] thetaF) {
                return restricted(fullOn.gaussNewton(assemble(thetaF)));
            }

            private LinearOperator restricted(LinearOperator gaussNewton) {
                return (v, out) -> {
                    double[] padded = java.util.Arrays.copyOf(v, full.dimension());
                    double[] product = new double[full.dimension()];
                    gaussNewton.apply(padded, product);
                    System.arraycopy(product, 0, out, 0, featureCount);
                };
            }

            @Override
            public double value(double[] thetaF) {
                double v = inner(thetaF).value();
                return v + Averaged.penalty(featureRegularizers, java.util.Arrays.copyOf(thetaF, full.dimension()));
            }

            private ClassifierSolve.Solution inner(double[] thetaF) {
                return VariableProjection.this.inner(thetaF, indices, " · classifier solve");
            }
        };
    }

    /**
     * The classifier alone, {@code w*(θ_f)} on the examples {@code unsorted}: a forward pass for their features and
     * the inner solve, warm-started from the last solution. The value is {@code Φ(θ_f, w*)} on them with
     * {@code R(θ_f)}; {@code data_loss} is it without either penalty.
     */
    @Override
    public Elimination solveEliminated(double[] thetaF, int[] unsorted) {
        int[] indices = unsorted.clone();
        java.util.Arrays.sort(indices);
        ClassifierSolve.Solution s = inner(thetaF, indices, " · classifier solve on " + indices.length + " examples");
        double classifierPenalty = 0.5 * solve.alpha() * org.heatwave.linalg.Vectors.dot(s.w(), s.w());
        Map<String, Double> diagnostics = new HashMap<>();
        diagnostics.put("data_loss", s.value() - classifierPenalty);
        diagnostics.put("accuracy", s.accuracy());
        putInner(diagnostics, s);
        return new Elimination(s.value() + Averaged.penalty(featureRegularizers, java.util.Arrays.copyOf(thetaF, full.dimension())),
                diagnostics);
    }

    /** The inner solve's numbers, as an evaluation's diagnostics. */
    private static void putInner(Map<String, Double> diagnostics, ClassifierSolve.Solution s) {
        diagnostics.put("inner_iterations", (double) s.iterations());
        diagnostics.put("inner_cg_iterations", (double) s.cgIterations());
        diagnostics.put("inner_gradient_norm", s.gradientNorm());
    }

    /** The inner solve on {@code indices} (ascending) at {@code thetaF}, from the last solution, which it replaces. */
    private ClassifierSolve.Solution inner(double[] thetaF, int[] indices, String what) {
        if (thetaF.length != featureCount) {
            throw new IllegalArgumentException("variable projection moves " + featureCount + " feature parameters, got "
                    + thetaF.length);
        }
        full.phase(phase + what);
        ClassifierSolve.Solution s = solve.solve(features.of(thetaF, indices), classifier);
        full.phase(phase);
        classifier = s.w();
        return s;
    }
}
