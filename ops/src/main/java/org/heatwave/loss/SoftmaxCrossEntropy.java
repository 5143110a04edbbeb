package org.heatwave.loss;

import org.heatwave.tensor.FeatureMap;

/**
 * Softmax cross-entropy {@code S(c, s) = −log(e^{s_c} / Σ_k e^{s_k})} of scores {@code s = W Y_N + μ} and
 * labels {@code c} (seeds 002–004), summed over the examples; its gradient with respect to the scores is
 * {@code softmax(s) − e_c} per example. Sums, not means, so that partial results from Spark partitions
 * add up exactly; the driver divides by the count.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * Evaluates the summed loss of the scores {@code s} ({@code 1 × 1 × n × classes}).
     *
     * @param labels      class of each example, {@code labels[labelOffset + i]}
     * @param gradOrNull  if not null, receives {@code ∂loss/∂s} (overwritten), same dimensions as {@code s}
     * @return the summed loss, the number of correct arg-max predictions and the count
     */
    public static LossResult evaluate(FeatureMap s, int[] labels, int labelOffset, FeatureMap gradOrNull) {
        if (s.h() != 1 || s.w() != 1) {
            throw new IllegalArgumentException("scores must be 1x1 per example, got " + s.dims());
        }
        int n = s.n(), k = s.c();
        float[] d = s.data();
        double total = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[labelOffset + i];
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("label " + label + " of example " + i + " is outside 0.." + (k - 1));
            }
            int b = i * k;
            int arg = 0;
            double max = d[b];
            for (int j = 1; j < k; j++) {
                if (d[b + j] > max) {
                    max = d[b + j];
                    arg = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(d[b + j] - max);
            }
            double logSum = Math.log(sum) + max;
            total += logSum - d[b + label];
            if (arg == label) {
                correct++;
            }
            if (gradOrNull != null) {
                float[] g = gradOrNull.data();
                for (int j = 0; j < k; j++) {
                    g[b + j] = (float) Math.exp(d[b + j] - logSum);
                }
                g[b + label] -= 1f;
            }
        }
        return new LossResult(total, correct, n);
    }
}
