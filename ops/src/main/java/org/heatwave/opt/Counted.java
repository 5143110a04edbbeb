package org.heatwave.opt;

import org.heatwave.linalg.LinearOperator;

/**
 * An objective on {@code m} examples that counts what the optimiser spends on it — every value, gradient
 * and Gauss–Newton product adds {@code m} examples to the shared tally — and announces each computation to
 * the sampled objective's {@link SampledObjective#phase} ("iter 12 · CG 4", "iter 12 · value 2").
 */
final class Counted implements Objective {
    /** The running tally of examples processed, and the label of the current iteration. */
    static final class Tally {
        private long examples;
        private String iteration = "";
        private int values;
        private int products;
        private int productLimit;

        long examples() {
            return examples;
        }

        /** Continues a tally that had reached {@code examples} (a resumed run). */
        void restore(long examples) {
            this.examples = examples;
        }

        double passes(int datasetSize) {
            return examples / (double) datasetSize;
        }

        /** Starts the labels of a new iteration, e.g. {@code "iter 12"}. */
        void iteration(String label) {
            iteration(label, 0);
        }

        /** As {@link #iteration(String)}, with at most {@code productLimit} Gauss–Newton products (CG iterations) to come. */
        void iteration(String label, int productLimit) {
            iteration = label;
            values = 0;
            products = 0;
            this.productLimit = productLimit;
        }
    }

    private final Objective f;
    private final int m;
    private final Tally tally;
    private final SampledObjective owner;

    Counted(SampledObjective owner, int[] sample, Tally tally) {
        this(owner.on(sample), owner, sample, tally);
    }

    /** As {@link #Counted(SampledObjective, int[], Tally)}, the sample as seen on data pass {@code pass}. */
    Counted(SampledObjective owner, int[] sample, long pass, Tally tally) {
        this(owner.on(sample, pass), owner, sample, tally);
    }

    private Counted(Objective f, SampledObjective owner, int[] sample, Tally tally) {
        this.f = f;
        this.m = sample.length;
        this.tally = tally;
        this.owner = owner;
    }

    @Override
    public int dimension() {
        return f.dimension();
    }

    @Override
    public Evaluation evaluate(double[] x) {
        tally.examples += m;
        owner.phase(tally.iteration + " · loss+gradient");
        Evaluation e = f.evaluate(x);
        return Evaluation.of(e.value(), e.gradient(), counted(e::gaussNewton, ""), e.diagnostics());
    }

    /** The operator alone (a curvature subsample): each product counts this objective's {@code m} examples. */
    @Override
    public LinearOperator gaussNewton(double[] x) {
        LinearOperator gn = f.gaussNewton(x);
        return counted(() -> gn, " (curvature " + m + ")");
    }

    /** The products of {@code operator}, each counting {@code m} examples and announced as "CG k/limit" + {@code note}. */
    private LinearOperator counted(java.util.function.Supplier<LinearOperator> operator, String note) {
        return (v, out) -> {
            LinearOperator gn = operator.get();
            tally.examples += m;
            owner.phase(tally.iteration + " · CG " + ++tally.products + (tally.productLimit > 0 ? "/" + tally.productLimit : "")
                    + note);
            gn.apply(v, out);
        };
    }

    @Override
    public double value(double[] x) {
        tally.examples += m;
        owner.phase(tally.iteration + " · line search " + ++tally.values);
        return f.value(x);
    }
}
