package org.heatwave.pipeline.distributed;

import java.util.List;
import org.heatwave.augment.Augmentation;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.loss.LossResult;
import org.heatwave.net.Averaged;
import org.heatwave.net.ClassifierData;
import org.heatwave.net.Network;
import org.heatwave.net.VariableProjection;
import org.heatwave.opt.Evaluation;
import org.heatwave.opt.Objective;
import org.heatwave.opt.SampledObjective;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.reg.Regularizer;
import org.heatwave.tensor.FeatureMap;

/**
 * The training objective on Spark as the optimisers see it ({@link SampledObjective}, DESIGN.md §3): the
 * mean loss over a sample of the cached dataset plus the regularisers (added on the driver). Every
 * evaluation is one job ({@link DistributedObjective}): loss and gradient, the loss alone (line searches),
 * and each Gauss–Newton product {@code (1/m) Σ JᵢᵀHᵢJᵢ v + Σ ∇²R v} — so a CG iteration is one job, and after an
 * operator's first product a tangent and an adjoint pass per example (the forward passes kept on the tasks). Job
 * descriptions are the optimiser's phase ("iter 12 · CG 4/10"). The last gradient evaluation's batch
 * statistics are kept for the trainer to absorb. With an {@link Augmentation}, the training loss is against smoothed
 * targets and {@link #on(int[], long)} sees each example transformed by its draw for that data pass.
 */
public final class SparkObjective implements SampledObjective {
    /** Numbers this JVM's Gauss–Newton operators: their products' key on the tasks ({@link org.heatwave.net.KeptTraces}). */
    private static final java.util.concurrent.atomic.AtomicLong OPERATORS = new java.util.concurrent.atomic.AtomicLong();
    private final DistributedObjective jobs;
    private final DistributedDataset data;
    private final Network net;
    private final List<Regularizer> regularizers;
    private final Augmentation augmentation;
    private String phase = "";
    private java.util.function.Consumer<String> phases = description -> { };
    private double[] lastStatistics;

    public SparkObjective(DistributedObjective jobs, DistributedDataset data, Network net, List<Regularizer> regularizers) {
        this(jobs, data, net, regularizers, Augmentation.NONE);
    }

    public SparkObjective(DistributedObjective jobs, DistributedDataset data, Network net, List<Regularizer> regularizers,
                          Augmentation augmentation) {
        this.augmentation = augmentation;
        this.jobs = jobs;
        this.data = data;
        this.net = net;
        this.regularizers = List.copyOf(regularizers);
    }

    @Override
    public int dimension() {
        return net.paramCount();
    }

    @Override
    public int examples() {
        return data.count();
    }

    @Override
    public void project(double[] x) {
        net.project(x);
    }

    @Override
    public void phase(String description) {
        phase = description;
        phases.accept(description);
    }

    /** Tells {@code listener} every phase the optimiser announces (the job descriptions' text), e.g. for console progress. */
    public void onPhase(java.util.function.Consumer<String> listener) {
        phases = listener;
    }

    /** Loss and accuracy of the model {@code theta} on all of {@code data} (inference binding; one job). */
    public LossResult testEvaluation(DistributedDataset data, double[] theta, String description) {
        return jobs.evaluate(data, theta, description);
    }

    /** Loss and accuracy of {@code theta} on the training examples {@code indices} (inference binding; one job). */
    public LossResult trainEvaluation(double[] theta, int[] indices, String description) {
        return jobs.loss(data, theta, indices, description, true);
    }

    /** The optimiser is done: the tasks that stay between evaluations in local mode go now ({@link DistributedObjective#releaseTasks}). */
    public void releaseTasks() {
        jobs.releaseTasks();
    }

    /** Where the time of the last loss-and-gradient job went (null before the first). */
    public StepTiming lastTiming() {
        return jobs.lastTiming();
    }

    /** The summed batch statistics of the last gradient evaluation (null without batch normalisation). */
    public double[] lastStatistics() {
        return lastStatistics;
    }

    @Override
    public Objective on(int[] indices) {
        return on(indices, 0, augmentation.withoutImageTransforms());
    }

    @Override
    public Objective on(int[] indices, long pass) {
        return on(indices, pass, augmentation);
    }

    private Objective on(int[] indices, long pass, Augmentation seen) {
        return new Objective() {
            @Override
            public int dimension() {
                return net.paramCount();
            }

            @Override
            public Evaluation evaluate(double[] x) {
                GradientAggregator agg = jobs.lossAndGradient(data, x, indices, seen, pass, phase);
                lastStatistics = agg.statistics();
                double[] at = x.clone(); // the optimiser moves x in place; products stay at this point
                return Averaged.evaluation(agg.loss(), agg.gradient(), products(at), regularizers, at);
            }

            /** The products at {@code x} without the gradient's job: one job per product. */
            @Override
            public LinearOperator gaussNewton(double[] x) {
                double[] at = x.clone();
                return Averaged.gaussNewton(products(at), indices.length, regularizers, at);
            }

            /**
             * {@code Σᵢ JᵢᵀHᵢJᵢ v} over the examples at {@code at}: one job per product, the tasks keeping each
             * micro-batch's forward pass for this operator's next product ({@link org.heatwave.net.KeptTraces}).
             */
            private LinearOperator products(double[] at) {
                String operator = "operator " + OPERATORS.incrementAndGet(); // one per evaluation, so a counter, not a UUID
                return (v, out) -> System.arraycopy(jobs.gaussNewtonProduct(data, at, indices, v, seen, pass, phase, operator),
                        0, out, 0, out.length);
            }

            @Override
            public double value(double[] x) {
                return Averaged.value(jobs.loss(data, x, indices, seen, pass, phase, false), regularizers, x);
            }
        };
    }

    /** Where variable projection's classifier problem is solved. */
    public enum ClassifierSolveAt {
        /** Features collected to the driver, the solve there (small pooled features). */
        DRIVER,
        /** Features cached on the executors, each sum of the solve a job (the full head's large features). */
        DISTRIBUTED;

        /** Features of up to 256 MB per sample are collected. */
        static final long DRIVER_BYTES = 256L << 20;

        /** DRIVER when a sample's features fit in {@link #DRIVER_BYTES}, else DISTRIBUTED. */
        public static ClassifierSolveAt auto(long sampleSize, org.heatwave.layer.Geometry features) {
            return sampleSize * features.h() * features.w() * features.c() * 4L <= DRIVER_BYTES ? DRIVER : DISTRIBUTED;
        }
    }

    /**
     * Variable projection's classifier problems (the cross-entropy with this objective's label smoothing, so that the
     * classifier minimises the same loss as the full objective): the features of a sample at θ_f computed on Spark, then
     * collected to the driver ({@link ClassifierSolveAt#DRIVER}, with their labels) or cached on the executors
     * ({@link ClassifierSolveAt#DISTRIBUTED}; the previous sample's cache is released when the next is made).
     */
    public VariableProjection.Features features(ClassifierSolveAt where) {
        return new VariableProjection.Features() {
            private DistributedClassifierData cached;

            @Override
            public ClassifierData of(double[] thetaF, int[] indices) {
                double[] full = java.util.Arrays.copyOf(thetaF, net.paramCount());
                if (where == ClassifierSolveAt.DRIVER) {
                    FeatureMap f = jobs.features(data, full, indices, phase + " · features");
                    return ClassifierData.local(net.classifier(), f, jobs.labels(data, indices, phase + " · labels"),
                            augmentation.labelSmoothing());
                }
                if (cached != null) {
                    cached.close();
                }
                cached = jobs.featureChunks(data, full, indices, augmentation.labelSmoothing(), phase);
                return cached;
            }
        };
    }
}
