package org.heatwave.layer;

import java.util.SplittableRandom;
import org.heatwave.tensor.FeatureMap;

/**
 * A differentiable map {@code Y⁺ = F(θ, Y)} on feature maps (STYLE.md: the Meganet.m contract). A layer
 * is configured for one input {@link Geometry}; its parameters live in a slice of the network's flat
 * float64 vector. {@link #bind} does the per-update precomputation (kernel spectra) and returns the
 * object that runs forward, tangent ({@code jvp}) and adjoint ({@code vjp}) passes.
 */
public interface Layer {

    /** A short description for logs, e.g. {@code "parabolic 16ch 28x28 nt=3 h=0.5"}. */
    String describe();

    Geometry input();

    Geometry output();

    int paramCount();

    /** Writes initial parameters into {@code theta[off … off + paramCount())}. */
    void init(double[] theta, int off, SplittableRandom random);

    /** Marks in {@code mask[off …]} the parameters that take weight decay (stencils and weights). */
    void markWeightDecay(boolean[] mask, int off);

    /**
     * Projects {@code theta[off …]} onto the layer's admissible set in place (e.g. θ ≥ 0 for an M-matrix
     * stencil), after every optimiser step; unconstrained layers leave it alone.
     */
    default void project(double[] theta, int off) {
    }

    /** Binds the parameters {@code theta[off …]} (read now; later changes to theta are not seen). */
    Bound bind(double[] theta, int off);

    /** A layer with its parameters bound: immutable and safe to share between threads. */
    interface Bound {

        /** Forward pass; the trace keeps what the derivative passes need. */
        Trace forward(FeatureMap y);

        /**
         * Adjoint pass: adds {@code J_θᵀ w} to {@code grad[off …]} and returns {@code J_Yᵀ w}, where
         * {@code w} is the cotangent of the output.
         */
        FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off);

        /** Tangent pass: {@code J_θ dθ + J_Y dY} with {@code dθ = dTheta[off …]}. */
        FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy);
    }

    /** The record of one forward pass. */
    interface Trace {
        FeatureMap output();
    }
}
