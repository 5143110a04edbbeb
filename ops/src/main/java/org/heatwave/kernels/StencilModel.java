package org.heatwave.kernels;

import java.util.SplittableRandom;
import org.heatwave.conv.Stencil;

/**
 * A structured multichannel stencil {@code K(θ)}: a map from a few parameters to the full
 * {@code c_out × c_in × k × k} stencil of a convolution ({@link Stencil} layout), with its derivatives
 * (seed 001, "Some Simple Parametric Models" and "Differentiating Parametric Models"). Most models are
 * linear, {@code K(θ) = mat(Qθ)}, so the Jacobian is {@code Q} and its transpose {@code Qᵀ}
 * ({@link LinearStencilModel}); the separable and depthwise-plus-coupling models are bilinear.
 *
 * <p>Layers hold full stencils; a model sits in front of them: {@code full = expand(θ)}, the layer's
 * stencil gradient {@code ḡ} becomes {@code expandAdjoint(θ, ḡ)}.
 */
public interface StencilModel {

    int cout();

    int cin();

    /** Stencil side {@code k} (odd). */
    int stencilSize();

    /** Number of model parameters. */
    int paramCount();

    /** Number of full-stencil entries, {@code c_out·c_in·k²}. */
    default int fullCount() {
        return Stencil.paramCount(cout(), cin(), stencilSize());
    }

    /** Writes {@code K(θ)}, θ read from {@code theta[off …]}, into {@code full} (overwritten). */
    void expand(double[] theta, int off, double[] full);

    /** Writes the directional derivative {@code J(θ) dθ} into {@code dfull} (overwritten). */
    void expandTangent(double[] theta, int off, double[] dtheta, int dOff, double[] dfull);

    /** Adds {@code J(θ)ᵀ gFull} to {@code grad[gOff …]}. */
    void expandAdjoint(double[] theta, int off, double[] gFull, double[] grad, int gOff);

    /**
     * Initial parameters for which the full stencil's entries have about the standard deviation
     * {@code std} (default: θ ~ N(0, std²), then {@link #project}); bilinear models scale their factors.
     */
    default void init(double[] theta, int off, double std, SplittableRandom random) {
        for (int i = 0; i < paramCount(); i++) {
            theta[off + i] = std * random.nextGaussian();
        }
        project(theta, off);
    }

    /** Projects θ onto the model's admissible set in place (default: no constraint). */
    default void project(double[] theta, int off) {
    }

    /** Whether θ is the full stencil itself (the identity model), which a convolution can then read directly. */
    default boolean isFullStencil() {
        return false;
    }

    /** A short description, e.g. {@code "antisymmetric 16<-16 3x3"}. */
    String describe();
}
