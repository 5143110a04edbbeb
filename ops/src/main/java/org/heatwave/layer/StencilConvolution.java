package org.heatwave.layer;

import org.heatwave.conv.Boundary;
import org.heatwave.kernels.LeanModel;
import org.heatwave.kernels.StencilModel;
import org.heatwave.tensor.FeatureMap;

/**
 * A convolution {@code Z = S K(θ) Y} whose stencil is given by a parametric {@link StencilModel} (seed 001),
 * with the derivatives a layer needs in θ as well as in {@code Y}: the layers hold one of these and never
 * see how it is computed. {@link #of} picks the implementation: a lean model on a periodic grid with stride 1
 * runs factored ({@link LeanConvolution}: depthwise stencils, then the 1×1 coupling — seed 003's cheap
 * operator); every other model is expanded to its full stencil and run as a {@link org.heatwave.conv.Convolution}
 * ({@link ExpandedConvolution}). Both compute the same operator; only the cost differs.
 */
interface StencilConvolution {

    /** The fastest implementation for {@code model} on an {@code h × w} grid. */
    static StencilConvolution of(StencilModel model, int h, int w, Boundary boundary, int stride) {
        if (model instanceof LeanModel lean && boundary == Boundary.PERIODIC && stride == 1) {
            return new LeanConvolution(lean, h, w);
        }
        return new ExpandedConvolution(model, h, w, boundary, stride);
    }

    /** The operator at one θ, prepared once per update (immutable). */
    interface Prepared {
    }

    StencilModel model();

    /** Output height {@code ⌈h/stride⌉}. */
    int outputH();

    /** Output width {@code ⌈w/stride⌉}. */
    int outputW();

    /** The operator at the model parameters {@code theta[off …]}. */
    Prepared prepare(double[] theta, int off);

    /** {@code S K y}. */
    FeatureMap apply(Prepared k, FeatureMap y);

    /** {@code Kᵀ Sᵀ z}. */
    FeatureMap applyTranspose(Prepared k, FeatureMap z);

    /** {@code grad[off …] += ∇_θ⟨g, S K(θ) x⟩}, in the model's parameters. */
    void accumulateGradient(Prepared k, FeatureMap g, FeatureMap x, double[] grad, int off);

    /** {@code S (∂K/∂θ · dθ) x}, the θ-direction of the operator applied to {@code x}, {@code dθ} at {@code dTheta[dOff …]}. */
    FeatureMap applyTangent(Prepared k, double[] dTheta, int dOff, FeatureMap x);

    /** E.g. {@code "conv 3x3 16<-16 on 28x28 (direct)"}, with the model unless it is the full stencil. */
    String describe();
}
