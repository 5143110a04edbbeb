package org.heatwave.net;

import org.heatwave.layer.Layer;
import org.heatwave.loss.LossResult;
import org.heatwave.loss.SoftmaxCrossEntropy;
import org.heatwave.tensor.FeatureMap;

/**
 * The data of variable projection's classifier problem — a sample's features {@code Yᵢ} and labels — behind
 * the two sums the Newton–CG solve needs ({@link ClassifierSolve}): the summed loss and gradient of the
 * classifier at {@code w}, and the summed Gauss–Newton (here: Hessian) product
 * {@code Σᵢ Jᵢᵀ Hᵢ Jᵢ v}. Held on the driver ({@link #local}) or distributed on Spark, where each sum is a
 * job over the executors' cached features.
 */
public interface ClassifierData {

    /** Number of examples m. */
    int count();

    /** Adds {@code Σᵢ ∇_w CE(C(w)Yᵢ, yᵢ)} to {@code grad} and returns the summed loss and correct count. */
    LossResult lossAndGradient(double[] w, double[] grad);

    /** Adds {@code Σᵢ Jᵢᵀ Hᵢ Jᵢ v} at {@code w} to {@code out}. */
    void hessianProduct(double[] w, double[] v, double[] out);

    /** Features {@code features} ({@code n} examples) and labels held in memory, with the classifier layer. */
    static ClassifierData local(Layer classifier, FeatureMap features, int[] labels) {
        return local(classifier, features, labels, 0);
    }

    /**
     * As {@link #local(Layer, FeatureMap, int[])}, the cross-entropy against targets smoothed by {@code labelSmoothing}
     * ({@link SoftmaxCrossEntropy}): still strictly convex in the classifier, with the same Hessian.
     */
    static ClassifierData local(Layer classifier, FeatureMap features, int[] labels, double labelSmoothing) {
        if (labels.length != features.n()) {
            throw new IllegalArgumentException(features.n() + " feature maps but " + labels.length + " labels");
        }
        return new ClassifierData() {
            @Override
            public int count() {
                return labels.length;
            }

            @Override
            public LossResult lossAndGradient(double[] w, double[] grad) {
                return ClassifierData.lossAndGradient(classifier, features, labels, labelSmoothing, w, grad);
            }

            @Override
            public void hessianProduct(double[] w, double[] v, double[] out) {
                ClassifierData.hessianProduct(classifier, features, w, v, out);
            }
        };
    }

    /**
     * The summed loss of {@code classifier} at {@code w} on {@code features} (targets smoothed by {@code labelSmoothing}),
     * its gradient added to {@code grad}.
     */
    static LossResult lossAndGradient(Layer classifier, FeatureMap features, int[] labels, double labelSmoothing, double[] w,
                                      double[] grad) {
        Layer.Bound bound = classifier.bind(w, 0);
        Layer.Trace trace = bound.forward(features);
        FeatureMap ds = trace.output().zerosLike();
        LossResult loss = SoftmaxCrossEntropy.evaluate(trace.output(), labels, 0, ds, null, labelSmoothing);
        bound.vjp(trace, ds, grad, 0);
        return loss;
    }

    /**
     * {@code out += Σᵢ JᵢᵀHᵢJᵢ v} for {@code classifier} at {@code w} on {@code features}: the softmax cross-entropy's
     * Hessian in the scores does not depend on the (smoothed) targets.
     */
    static void hessianProduct(Layer classifier, FeatureMap features, double[] w, double[] v, double[] out) {
        Layer.Bound bound = classifier.bind(w, 0);
        Layer.Trace trace = bound.forward(features);
        FeatureMap ds = bound.jvp(trace, v, 0, features.zerosLike());
        bound.vjp(trace, SoftmaxCrossEntropy.hessianProduct(trace.output(), ds), out, 0);
    }
}
