package org.heatwave.layer;

import java.util.Arrays;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.kernels.StencilModel;
import org.heatwave.tensor.FeatureMap;

/**
 * A {@link StencilConvolution} that expands the model to its full stencil, {@code K(θ)}, and runs the
 * multichannel {@link Convolution} (FFT, direct or 1×1, whichever is faster for the shape). Derivatives
 * through the model's Jacobian: {@code ∇_θ = J(θ)ᵀ ∇_K}, {@code dK = J(θ) dθ}. For the full stencil
 * ({@link StencilModel#isFullStencil}) θ is read directly, with no copies.
 */
final class ExpandedConvolution implements StencilConvolution {
    private final StencilModel model;
    private final Convolution conv;

    ExpandedConvolution(StencilModel model, int h, int w, Boundary boundary, int stride) {
        this.model = model;
        this.conv = new Convolution(model.cout(), model.cin(), model.stencilSize(), h, w, boundary, stride);
    }

    /** The kernel and, unless the model is the full stencil, a copy of the model parameters. */
    private record Kernel(PreparedKernel kernel, double[] params) implements Prepared {
    }

    @Override
    public StencilModel model() {
        return model;
    }

    @Override
    public int outputH() {
        return conv.outputH();
    }

    @Override
    public int outputW() {
        return conv.outputW();
    }

    @Override
    public Prepared prepare(double[] theta, int off) {
        if (model.isFullStencil()) {
            return new Kernel(conv.prepare(theta, off), null);
        }
        double[] params = Arrays.copyOfRange(theta, off, off + model.paramCount());
        double[] full = new double[model.fullCount()];
        model.expand(params, 0, full);
        return new Kernel(conv.prepare(full, 0), params);
    }

    @Override
    public FeatureMap apply(Prepared k, FeatureMap y) {
        return conv.apply(((Kernel) k).kernel(), y);
    }

    @Override
    public FeatureMap applyTranspose(Prepared k, FeatureMap z) {
        return conv.applyTranspose(((Kernel) k).kernel(), z);
    }

    @Override
    public void accumulateGradient(Prepared k, FeatureMap g, FeatureMap x, double[] grad, int off) {
        double[] params = ((Kernel) k).params();
        if (params == null) {
            conv.accumulateGradient(g, x, grad, off);
            return;
        }
        double[] fullGrad = new double[model.fullCount()];
        conv.accumulateGradient(g, x, fullGrad, 0);
        model.expandAdjoint(params, 0, fullGrad, grad, off);
    }

    @Override
    public FeatureMap applyTangent(Prepared k, double[] dTheta, int dOff, FeatureMap x) {
        double[] params = ((Kernel) k).params();
        if (params == null) {
            return conv.apply(conv.prepare(dTheta, dOff), x);
        }
        double[] dFull = new double[model.fullCount()];
        model.expandTangent(params, 0, dTheta, dOff, dFull);
        return conv.apply(conv.prepare(dFull, 0), x);
    }

    @Override
    public String describe() {
        return conv.describe() + (model.isFullStencil() ? "" : " [" + model.describe() + "]");
    }
}
