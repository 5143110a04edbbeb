package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Floats;

/**
 * A plain convolution layer {@code Y⁺ = S K(θ) Y} (seed 001): any odd stencil size, periodic or zero
 * {@link Boundary}, stride 1 or more (a strided convolution is one of the connectors that change
 * resolution between blocks). Parameters: the stencil ({@link org.heatwave.conv.Stencil} layout).
 */
public final class ConvLayer implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final Convolution conv;

    public ConvLayer(Geometry in, int cout, int k, Boundary boundary, int stride) {
        this.in = in;
        this.conv = new Convolution(cout, in.c(), k, in.h(), in.w(), boundary, stride);
        this.out = new Geometry(conv.outputH(), conv.outputW(), cout);
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
        return conv.paramCount();
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        int k = conv.stencilSize();
        Init.gaussian(theta, off, conv.paramCount(), Math.sqrt(2.0 / (in.c() * k * k)), random);
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        java.util.Arrays.fill(mask, off, off + conv.paramCount(), true);
    }

    @Override
    public Bound bind(double[] theta, int off) {
        Object kernel = conv.prepare(theta, off);
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                return new Tr(y, conv.apply(kernel, y));
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                conv.accumulateGradient(w, ((Tr) trace).input(), grad, gOff);
                return conv.applyTranspose(kernel, w);
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                FeatureMap dz = conv.apply(kernel, dy);
                Floats.addInPlace(dz.data(), conv.apply(conv.prepare(dTheta, dOff), ((Tr) trace).input()).data());
                return dz;
            }
        };
    }

    private record Tr(FeatureMap input, FeatureMap output) implements Trace {
    }
}
