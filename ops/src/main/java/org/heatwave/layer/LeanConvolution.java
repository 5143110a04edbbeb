package org.heatwave.layer;

import org.heatwave.conv.DepthwiseConv;
import org.heatwave.conv.DirectConvolution;
import org.heatwave.kernels.LeanModel;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * Seed 003's lean operator computed factored, {@code K = C·D}: the depthwise stencils {@code D}
 * ({@link DepthwiseConv}, 5 multiply-adds per value for the 5-point cross) and then the 1×1 coupling
 * {@code C} (a 1×1 {@link DirectConvolution}, {@code c_in} per output value) — against {@code 9·c_in} for the
 * expanded full 3×3 stencil. Periodic, stride 1. With {@code U = D X}:
 *
 * <pre>Z = C U,   Xᵀ-side: X̄ = Dᵀ(Cᵀ Z̄),   ∇_C = Σ Z̄ Uᵀ,   ∇_D = ∇_D⟨Cᵀ Z̄, D X⟩,   dZ = dC U + C (dD X)</pre>
 *
 * {@code U} is recomputed where it is needed (it costs a few multiply-adds per value) rather than kept.
 */
final class LeanConvolution implements StencilConvolution {
    private final LeanModel model;
    private final int h;
    private final int w;
    private final DepthwiseConv depthwise;
    private final DirectConvolution coupling;

    LeanConvolution(LeanModel model, int h, int w) {
        this.model = model;
        this.h = h;
        this.w = w;
        this.depthwise = new DepthwiseConv(model.cin(), model.stencilSize(), model.activeTaps());
        this.coupling = new DirectConvolution(model.cout(), model.cin(), 1, h, w);
    }

    /** The depthwise weights in float32 and the prepared coupling. */
    private record Factors(float[] d, DirectConvolution.Weights c) implements Prepared {
    }

    @Override
    public LeanModel model() {
        return model;
    }

    @Override
    public int outputH() {
        return h;
    }

    @Override
    public int outputW() {
        return w;
    }

    @Override
    public Prepared prepare(double[] theta, int off) {
        return new Factors(Floats.of(theta, off, model.depthwiseCount()), coupling.prepare(theta, off + model.depthwiseCount()));
    }

    @Override
    public FeatureMap apply(Prepared k, FeatureMap y) {
        Factors f = (Factors) k;
        requireGrid(y);
        return coupling.apply(f.c(), depthwise.apply(f.d(), y));
    }

    @Override
    public FeatureMap applyTranspose(Prepared k, FeatureMap z) {
        Factors f = (Factors) k;
        requireGrid(z);
        return depthwise.applyTranspose(f.d(), coupling.applyTranspose(f.c(), z));
    }

    @Override
    public void accumulateGradient(Prepared k, FeatureMap g, FeatureMap x, double[] grad, int off) {
        Factors f = (Factors) k;
        requireGrid(x);
        coupling.accumulateGradient(g, depthwise.apply(f.d(), x), grad, off + model.depthwiseCount());
        depthwise.accumulateGradient(coupling.applyTranspose(f.c(), g), x, grad, off);
    }

    @Override
    public FeatureMap applyTangent(Prepared k, double[] dTheta, int dOff, FeatureMap x) {
        Factors f = (Factors) k;
        requireGrid(x);
        DirectConvolution.Weights dc = coupling.prepare(dTheta, dOff + model.depthwiseCount());
        FeatureMap dz = coupling.apply(dc, depthwise.apply(f.d(), x));
        FeatureMap second = coupling.apply(f.c(), depthwise.apply(Floats.of(dTheta, dOff, model.depthwiseCount()), x));
        Floats.addInPlace(dz.data(), second.data());
        return dz;
    }

    @Override
    public String describe() {
        return "conv " + model.stencilSize() + "x" + model.stencilSize() + " " + model.cout() + "<-" + model.cin() + " on "
                + h + "x" + w + " (factored) [" + model.describe() + "]";
    }

    private void requireGrid(FeatureMap f) {
        if (f.h() != h || f.w() != w) {
            throw new IllegalArgumentException(describe() + " expects " + h + "x" + w + " maps but got " + f.dims());
        }
    }
}
