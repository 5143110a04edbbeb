package org.heatwave.opt;

import org.heatwave.linalg.LinearOperator;

/**
 * An objective on {@code m} examples that counts what the optimiser spends on it: every value, gradient
 * and Gauss–Newton product adds {@code m} examples to the shared tally.
 */
final class Counted implements Objective {
    /** The running tally of examples processed. */
    static final class Tally {
        private long examples;

        long examples() {
            return examples;
        }

        double passes(int datasetSize) {
            return examples / (double) datasetSize;
        }
    }

    private final Objective f;
    private final int m;
    private final Tally tally;

    Counted(Objective f, int m, Tally tally) {
        this.f = f;
        this.m = m;
        this.tally = tally;
    }

    @Override
    public int dimension() {
        return f.dimension();
    }

    @Override
    public Evaluation evaluate(double[] x) {
        tally.examples += m;
        Evaluation e = f.evaluate(x);
        return new Evaluation() {
            @Override
            public double value() {
                return e.value();
            }

            @Override
            public double[] gradient() {
                return e.gradient();
            }

            @Override
            public LinearOperator gaussNewton() {
                LinearOperator gn = e.gaussNewton();
                return (v, out) -> {
                    tally.examples += m;
                    gn.apply(v, out);
                };
            }

            @Override
            public java.util.Map<String, Double> diagnostics() {
                return e.diagnostics();
            }
        };
    }

    @Override
    public double value(double[] x) {
        tally.examples += m;
        return f.value(x);
    }
}
