package org.heatwave.layer;

import java.util.SplittableRandom;

/**
 * The common part of layers without parameters (pooling): fixed input and output geometry, nothing to
 * initialise, decay or bind — {@link #bind} returns the one {@link Layer.Bound} the subclass gives.
 */
abstract class ParameterFreeLayer implements Layer {
    private final Geometry in;
    private final Geometry out;
    private final Bound bound;

    ParameterFreeLayer(Geometry in, Geometry out, Bound bound) {
        this.in = in;
        this.out = out;
        this.bound = bound;
    }

    /** The geometry of 2×2 pooling's output; {@code what} names the layer in the error for odd sizes. */
    static Geometry halved(Geometry in, String what) {
        if (in.h() % 2 != 0 || in.w() % 2 != 0) {
            throw new IllegalArgumentException(what + " needs even image sizes, got " + in.h() + "x" + in.w());
        }
        return new Geometry(in.h() / 2, in.w() / 2, in.c());
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
        return 0;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
    }

    @Override
    public Bound bind(double[] theta, int off) {
        return bound;
    }
}
