package org.heatwave.layer;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.kernels.StencilModel;
import org.heatwave.kernels.StencilModels;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * A plain convolution layer {@code Y⁺ = S K(θ) Y} (seed 001): any odd stencil size, periodic or zero
 * {@link Boundary}, stride 1 or more (a strided convolution is one of the connectors that change
 * resolution between blocks), and any parametric {@link StencilModel} for the stencil (full by default;
 * antisymmetric, M-matrix, 5-point, lean, …). Parameters: the model's. A constrained model (M-matrix:
 * θ ≥ 0) is projected at {@link #init} and by {@link #project}, which the trainer calls after every
 * optimiser step.
 */
public final class ConvLayer implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final StencilModel model;
    private final StencilConvolution conv;

    /** A full stencil. */
    public ConvLayer(Geometry in, int cout, int k, Boundary boundary, int stride) {
        this(in, StencilModels.full(cout, in.c(), k), boundary, stride);
    }

    public ConvLayer(Geometry in, StencilModel model, Boundary boundary, int stride) {
        if (model.cin() != in.c()) {
            throw new IllegalArgumentException(model.describe() + " does not take " + in.c() + " input channels");
        }
        this.in = in;
        this.model = model;
        this.conv = StencilConvolution.of(model, in.h(), in.w(), boundary, stride);
        this.out = new Geometry(conv.outputH(), conv.outputW(), model.cout());
    }

    @Override
    public String describe() {
        return conv.describe();
    }

    @Override
    public Geometry input() {
        return in;
    }

    @Override
    public Geometry output() {
        return out;
    }

    @Override
    public int paramCount() {
        return model.paramCount();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        int k = model.stencilSize();
        model.init(theta, off, Math.sqrt(2.0 / (in.c() * k * k)), random);
    }

    @Override
    public void project(double[] theta, int off) {
        model.project(theta, off);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        Arrays.fill(mask, off, off + model.paramCount(), true);
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        out.add(new KernelSlot(off, model, in.h(), in.w()));
    }

    @Override
    public Bound bind(double[] theta, int off) {
        StencilConvolution.Prepared kernel = conv.prepare(theta, off);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                return new Tr(y, conv.apply(kernel, y));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                conv.accumulateGradient(kernel, w, ((Tr) trace).input(), grad, gOff);
                return conv.applyTranspose(kernel, w);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                FeatureMap dz = conv.apply(kernel, dy);
                Floats.addInPlace(dz.data(), conv.applyTangent(kernel, dTheta, dOff, ((Tr) trace).input()).data());
                return dz;
            }
        };
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return output.bytes();
        }
    }
}
