package org.heatwave.layer;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
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
    private final Convolution conv;

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
        this.conv = new Convolution(model.cout(), in.c(), model.stencilSize(), in.h(), in.w(), boundary, stride);
        this.out = new Geometry(conv.outputH(), conv.outputW(), model.cout());
    }

    @Override
    public String describe() {
        return conv.describe() + (model.paramCount() == conv.paramCount() && model.describe().startsWith("full")
                ? "" : " [" + model.describe() + "]");
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
        int k = conv.stencilSize();
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
    public Bound bind(double[] theta, int off) {
        double[] params = Arrays.copyOfRange(theta, off, off + model.paramCount());
        double[] full = new double[model.fullCount()];
        model.expand(params, 0, full);
        PreparedKernel kernel = conv.prepare(full, 0);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                return new Tr(y, conv.apply(kernel, y));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                double[] fullGrad = new double[model.fullCount()];
                conv.accumulateGradient(w, ((Tr) trace).input(), fullGrad, 0);
                model.expandAdjoint(params, 0, fullGrad, grad, gOff);
                return conv.applyTranspose(kernel, w);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                double[] dFull = new double[model.fullCount()];
                model.expandTangent(params, 0, dTheta, dOff, dFull);
                FeatureMap dz = conv.apply(kernel, dy);
                Floats.addInPlace(dz.data(), conv.apply(conv.prepare(dFull, 0), ((Tr) trace).input()).data());
                return dz;
            }
        };
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
    }
}
