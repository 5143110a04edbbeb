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
     * Adds to {@code out} the convolution kernels among the parameters {@code theta[off …]}, in parameter
     * order (what moves between resolutions in multilevel training); layers without stencils add nothing.
     */
    default void kernels(int off, java.util.List<KernelSlot> out) {
    }

    /**
     * Projects {@code theta[off …]} onto the layer's admissible set in place (e.g. θ ≥ 0 for an M-matrix
     * stencil), after every optimiser step; unconstrained layers leave it alone.
     */
    default void project(double[] theta, int off) {
    }

    /** Binds the parameters {@code theta[off …]} (read now; later changes to theta are not seen). */
    Bound bind(double[] theta, int off);

    /**
     * Binds the parameters for inference: as {@link #bind}, except that batch normalisation uses the running
     * statistics kept in θ instead of the batch's own, so an example's output does not depend on the other
     * examples it is evaluated with. An inference binding runs forward passes only.
     */
    default Bound bindForInference(double[] theta, int off) {
        return bind(theta, off);
    }

    /**
     * How many batch statistics a training forward pass reports ({@link Bound#accumulateStatistics}): batch
     * normalisation's per-channel moments; 0 for layers without running statistics.
     */
    default int statisticsCount() {
        return 0;
    }

    /**
     * Folds statistics summed over one training step ({@code stats[sOff …]}, as
     * {@link Bound#accumulateStatistics} adds them, over every task) into the running statistics kept in
     * {@code theta[off …]}: {@code running ← (1 − momentum)·running + momentum·batch}. Running statistics are
     * parameters that no loss depends on in training: their gradient is zero and they take no weight decay.
     */
    default void absorbStatistics(double[] theta, int off, double[] stats, int sOff, double momentum) {
    }

    /** A layer with its parameters bound: immutable and safe to share between threads. */
    interface Bound {

        /** Forward pass; the trace keeps what the derivative passes need. */
        Trace forward(FeatureMap y);

        /**
         * Forward pass that keeps nothing for derivative passes: the output of {@link #forward}, bit for bit. Layers
         * whose trace is large override it to reuse their buffers (inference, losses without gradient).
         */
        default FeatureMap infer(FeatureMap y) {
            return forward(y).output();
        }

        /**
         * Adjoint pass: adds {@code J_θᵀ w} to {@code grad[off …]} and returns {@code J_Yᵀ w}, where
         * {@code w} is the cotangent of the output.
         */
        FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off);

        /** Tangent pass: {@code J_θ dθ + J_Y dY} with {@code dθ = dTheta[off …]}. */
        FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy);

        /** Adds the batch statistics of a forward pass ({@link Layer#statisticsCount} values) to {@code stats[off …]}. */
        default void accumulateStatistics(Trace trace, double[] stats, int off) {
        }
    }

    /**
     * The record of one forward pass. A trace is read, never written, by the derivative passes: one trace serves any
     * number of {@code jvp} and {@code vjp} calls at its binding (what a Gauss–Newton solve relies on when it keeps
     * the traces of its examples over the conjugate-gradient iterations, {@link org.heatwave.net.KeptTraces}).
     */
    interface Trace {
        FeatureMap output();

        /**
         * The bytes of the arrays this forward pass made and the trace keeps: its output and what the derivative
         * passes need, not its input (the caller's, or the layer before's output, counted there) nor anything of the
         * binding. What keeping the trace costs in memory.
         */
        long bytes();
    }
}
