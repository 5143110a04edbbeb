package org.heatwave.loss;

import org.heatwave.tensor.FeatureMap;

/**
 * Softmax cross-entropy {@code S(c, s) = −log(e^{s_c} / Σ_k e^{s_k})} of scores {@code s = W Y_N + μ} and
 * labels {@code c} (seeds 002–004), summed over the examples; its gradient with respect to the scores is
 * {@code softmax(s) − e_c} per example. Sums, not means, so that partial results from Spark partitions
 * add up exactly; the driver divides by the count.
 *
 * <p>With label smoothing {@code ε} (Szegedy et al. 2016) the target is {@code q = (1 − ε) e_c + ε/k · 1} and the
 * loss {@code −Σ_j q_j log softmax(s)_j = log Σ_j e^{s_j} − (1 − ε) s_c − ε · mean_j s_j}, with gradient
 * {@code softmax(s) − q}; its Hessian in the scores is the same {@code diag(p) − ppᵀ} as without smoothing.
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
        return evaluate(s, labels, labelOffset, gradOrNull, null);
    }

    /**
     * As {@link #evaluate(FeatureMap, int[], int, FeatureMap)}; with {@code confusionOrNull} ({@code classes²} counts)
     * it also adds {@code confusion[true·classes + predicted]} per example.
     */
    public static LossResult evaluate(FeatureMap s, int[] labels, int labelOffset, FeatureMap gradOrNull,
                                      long[] confusionOrNull) {
        return evaluate(s, labels, labelOffset, gradOrNull, confusionOrNull, 0);
    }

    /**
     * As {@link #evaluate(FeatureMap, int[], int, FeatureMap, long[])} with label smoothing {@code ε = smoothing}
     * ({@code 0 ≤ ε < 1}; 0 is plain cross-entropy, bit for bit): the loss and its gradient are those of the smoothed
     * target (class comment); the correct count is still that of the arg-max against the label.
     */
    public static LossResult evaluate(FeatureMap s, int[] labels, int labelOffset, FeatureMap gradOrNull,
                                      long[] confusionOrNull, double smoothing) {
        if (s.h() != 1 || s.w() != 1) {
            throw new IllegalArgumentException("scores must be 1x1 per example, got " + s.dims());
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        int n = s.n();
        double total = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[labelOffset + i];
            if (label < 0 || label >= s.c()) {
                throw outside(label, s.c(), "example " + i);
            }
            total += row(s, i, label, gradOrNull, smoothing);
            int predicted = argMax(s, i);
            correct += predicted == label ? 1 : 0;
            if (confusionOrNull != null) {
                confusionOrNull[label * s.c() + predicted]++;
            }
        }
        return new LossResult(total, correct, n);
    }

    /**
     * The per-pixel loss of segmentation (seed 003, "label each pixel"): scores {@code s} ({@code h × w × n ×
     * classes}) against {@code masks[i·h·w + y·w + x]}, summed over pixels and examples; the count is the
     * number of pixels. With {@code confusionOrNull} ({@code classes²} counts) it also adds
     * {@code confusion[true·classes + predicted]} per pixel (for IoU: {@link #iou}).
     */
    public static LossResult evaluatePixels(FeatureMap s, int[] masks, FeatureMap gradOrNull, long[] confusionOrNull) {
        int n = s.n();
        int pixels = s.h() * s.w();
        int k = s.c();
        if (masks.length != n * pixels) {
            throw new IllegalArgumentException("masks hold " + masks.length + " labels, " + n + " images of " + s.h() + "x"
                    + s.w() + " need " + n * pixels);
        }
        double total = 0;
        long correct = 0;
        for (int p = 0; p < pixels; p++) {
            for (int i = 0; i < n; i++) {
                int label = masks[i * pixels + p];
                if (label < 0 || label >= k) {
                    throw outside(label, k, "image " + i + " pixel " + p);
                }
                total += row(s, p * n + i, label, gradOrNull, 0);
                int predicted = argMax(s, p * n + i);
                correct += predicted == label ? 1 : 0;
                if (confusionOrNull != null) {
                    confusionOrNull[label * k + predicted]++;
                }
            }
        }
        return new LossResult(total, correct, (long) n * pixels);
    }

    /**
     * Intersection over union per class from a confusion matrix ({@code confusion[true·classes + predicted]}):
     * {@code C_cc / (Σ_j C_cj + Σ_k C_kc − C_cc)}, NaN for a class that neither occurs nor is predicted.
     */
    public static double[] iou(long[] confusion, int classes) {
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c * classes + c];
            long row = 0;
            long col = 0;
            for (int j = 0; j < classes; j++) {
                row += confusion[c * classes + j];
                col += confusion[j * classes + c];
            }
            long union = row + col - tp;
            out[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return out;
    }

    /**
     * The loss's Hessian in the scores applied to {@code ds}: per example (row) {@code p ⊙ (dsᵢ − pᵀdsᵢ)} with
     * {@code p = softmax(sᵢ)}, i.e. {@code (diag(p) − ppᵀ) dsᵢ} — the {@code H} of the Gauss–Newton operator
     * {@code JᵀHJ} (seed 002), symmetric positive semi-definite. Works per row, so it serves classification
     * scores ({@code 1 × 1 × n × classes}) and per-pixel scores alike.
     */
    public static FeatureMap hessianProduct(FeatureMap s, FeatureMap ds) {
        s.requireSameDims(ds, "score direction");
        int k = s.c();
        int rows = s.data().length / k;
        float[] d = s.data(), v = ds.data();
        FeatureMap out = ds.zerosLike();
        float[] o = out.data();
        double[] p = new double[k];
        for (int r = 0; r < rows; r++) {
            int b = r * k;
            double max = d[b + argMax(s, r)];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                p[j] = Math.exp(d[b + j] - max);
                sum += p[j];
            }
            double pv = 0;
            for (int j = 0; j < k; j++) {
                p[j] /= sum;
                pv += p[j] * v[b + j];
            }
            for (int j = 0; j < k; j++) {
                o[b + j] = (float) (p[j] * (v[b + j] - pv));
            }
        }
        return out;
    }

    /** The class with the largest score in row {@code r} (the first on ties). */
    private static int argMax(FeatureMap s, int r) {
        int k = s.c();
        float[] d = s.data();
        int b = r * k;
        int arg = 0;
        for (int j = 1; j < k; j++) {
            if (d[b + j] > d[b + arg]) {
                arg = j;
            }
        }
        return arg;
    }

    private static IllegalArgumentException outside(int label, int classes, String what) {
        return new IllegalArgumentException("label " + label + " of " + what + " is outside 0.." + (classes - 1));
    }

    /**
     * One row's softmax cross-entropy (the scores at {@code s.data()[r·classes …]}, the label in range) against the
     * target smoothed by {@code eps}; writes {@code softmax − q} into the gradient's row when it is not null.
     */
    private static double row(FeatureMap s, int r, int label, FeatureMap gradOrNull, double eps) {
        int k = s.c();
        float[] d = s.data();
        int b = r * k;
        double max = d[b + argMax(s, r)];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(d[b + j] - max);
        }
        double logSum = Math.log(sum) + max;
        if (gradOrNull != null) {
            float[] g = gradOrNull.data();
            if (eps == 0) {
                for (int j = 0; j < k; j++) {
                    g[b + j] = (float) Math.exp(d[b + j] - logSum);
                }
                g[b + label] -= 1f;
            } else {
                for (int j = 0; j < k; j++) {
                    g[b + j] = (float) (Math.exp(d[b + j] - logSum) - eps / k - (j == label ? 1 - eps : 0));
                }
            }
        }
        if (eps == 0) {
            return logSum - d[b + label];
        }
        double mean = 0;
        for (int j = 0; j < k; j++) {
            mean += d[b + j];
        }
        return logSum - (1 - eps) * d[b + label] - eps * mean / k;
    }
}
