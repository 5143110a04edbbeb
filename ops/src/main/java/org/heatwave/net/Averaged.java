package org.heatwave.net;

import java.util.List;
import java.util.Map;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.loss.LossResult;
import org.heatwave.opt.Evaluation;
import org.heatwave.reg.Regularizer;

/**
 * The objective {@code f(θ) = (1/m) Σᵢ ℓᵢ(θ) + Σ_r R_r(θ)} assembled from sums over m examples, wherever the
 * sums were taken (in memory: {@link ClassificationObjective}; on Spark, as partial sums combined on the
 * driver): mean loss and gradient, the Gauss–Newton operator {@code (1/m) Σ JᵢᵀHᵢJᵢ + Σ ∇²R_r}, the
 * regularisers added on top, accuracy and data loss as diagnostics.
 */
public final class Averaged {
    private Averaged() {
    }

    /**
     * @param loss           summed loss, correct count and the count m
     * @param gradientSum    {@code Σᵢ ∇ℓᵢ(θ)} (divided by m in place and taken over)
     * @param gaussNewtonSum writes {@code Σᵢ JᵢᵀHᵢJᵢ v} into its output (overwriting it)
     */
    public static Evaluation evaluation(LossResult loss, double[] gradientSum, LinearOperator gaussNewtonSum,
                                        List<Regularizer> regularizers, double[] theta) {
        long m = loss.count();
        for (int i = 0; i < gradientSum.length; i++) {
            gradientSum[i] /= m;
        }
        double value = loss.meanLoss();
        for (Regularizer r : regularizers) {
            value += r.addGradient(theta, gradientSum);
        }
        return Evaluation.of(value, gradientSum, gaussNewton(gaussNewtonSum, m, regularizers, theta),
                Map.of("accuracy", loss.accuracy(), "data_loss", loss.meanLoss()));
    }

    /**
     * The Gauss–Newton operator {@code (1/m) Σᵢ JᵢᵀHᵢJᵢ + Σ_r ∇²R_r(θ)} from the sum over {@code m} examples
     * ({@code gaussNewtonSum} overwrites its output).
     */
    public static LinearOperator gaussNewton(LinearOperator gaussNewtonSum, long m, List<Regularizer> regularizers,
                                             double[] theta) {
        double[] at = theta.clone();
        return (v, out) -> {
            gaussNewtonSum.apply(v, out);
            for (int i = 0; i < out.length; i++) {
                out[i] /= m;
            }
            for (Regularizer r : regularizers) {
                r.addHessianProduct(at, v, out);
            }
        };
    }

    /** The mean loss plus the regularisers at {@code theta}, without gradients. */
    public static double value(LossResult loss, List<Regularizer> regularizers, double[] theta) {
        return loss.meanLoss() + penalty(regularizers, theta);
    }

    /** {@code Σ_r R_r(θ)}. */
    public static double penalty(List<Regularizer> regularizers, double[] theta) {
        double p = 0;
        double[] scratch = new double[theta.length];
        for (Regularizer r : regularizers) {
            p += r.addGradient(theta, scratch);
        }
        return p;
    }
}
