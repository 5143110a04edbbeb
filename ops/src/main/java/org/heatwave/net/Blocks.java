package org.heatwave.net;

import java.util.List;
import org.heatwave.act.Activation;
import org.heatwave.block.EulerBlock;
import org.heatwave.block.ParabolicBlock;
import org.heatwave.block.TimeWeights;
import org.heatwave.block.VerletBlock;
import org.heatwave.conv.Boundary;
import org.heatwave.kernels.LeanModel;
import org.heatwave.kernels.StencilModel;
import org.heatwave.kernels.StencilModels;
import org.heatwave.layer.AntisymmetricLayer;
import org.heatwave.layer.ConvActLayer;
import org.heatwave.layer.ConvLayer;
import org.heatwave.layer.ConvNormAct;
import org.heatwave.layer.ConvSolve;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Identity;
import org.heatwave.layer.Normalization;
import org.heatwave.layer.SymmetricLayer;

/**
 * The seeds' blocks, each an integrator applied to a right-hand side (docs/progress/4.md): the pieces live
 * in {@code block} and {@code layer}; this puts them together as the seeds write them.
 */
public final class Blocks {
    private Blocks() {
    }

    /**
     * A block by its configuration name ({@link Architecture#BLOCK_TYPES}) on geometry {@code g}: {@code nt}
     * steps of size {@code h}, activation {@code act}, weights in time {@code time}, 3×3 periodic stencils,
     * instance normalisation where the block normalises; {@code storeStates} for the reversible ones.
     */
    public static org.heatwave.layer.Layer create(String type, Geometry g, int nt, double h, Activation act,
                                                  TimeWeights time, boolean storeStates) {
        return switch (type) {
            case "parabolic" -> {
                if (!time.isPerStep()) {
                    throw new IllegalArgumentException("parabolic blocks (kept in Fourier space) take per-step weights, got "
                            + time);
                }
                yield new ParabolicBlock(g, 3, nt, h, act);
            }
            case "resnet" -> resnet(g, 3, act, Normalization.INSTANCE, time, h);
            case "antisymmetric" -> antisymmetric(g, 3, 0, act, time, h);
            case "hamiltonian" -> hamiltonian(g, 3, act, Normalization.INSTANCE, time, h, storeStates);
            case "verlet" -> verlet(g, 3, act, time, h, storeStates);
            case "leapfrog" -> leapfrog(g, 3, act, Normalization.INSTANCE, time, h, storeStates);
            case "imex" -> imex(g, 3, act, Normalization.INSTANCE, false, time, h);
            case "imex-depthwise" -> imex(g, 3, act, Normalization.INSTANCE, true, time, h);
            case "lean" -> lean(g, act, Normalization.INSTANCE, time, h);
            default -> throw new IllegalArgumentException("unknown block type '" + type + "'; known: "
                    + Architecture.BLOCK_TYPES);
        };
    }

    /**
     * The ResNet block as forward Euler (seed 000 "double layer", seed 003):
     * {@code Y_{j+1} = Y_j + h K_{j,2} σ(N(K_{j,1} Y_j) + b_j)} — periodic {@code k × k} convolutions on
     * {@code c} channels, normalisation {@code N} with trainable scale and shift (the shift is {@code b}).
     */
    public static EulerBlock resnet(Geometry g, int k, Activation act, Normalization norm, TimeWeights time, double h) {
        return new EulerBlock("resnet", doubleLayer(g, k, act, norm), time, h);
    }

    /** The ResNet block's right-hand side {@code K₂ σ(N(K₁ Y) + b)}. */
    static Sequential doubleLayer(Geometry g, int k, Activation act, Normalization norm) {
        return new Sequential(List.of(new ConvNormAct(g, g.c(), k, act, norm),
                new ConvLayer(g, g.c(), k, Boundary.PERIODIC, 1)));
    }

    /**
     * The lean ResNet block (seed 003, "lean ResNets"): the ResNet block with both convolutions lean —
     * a depthwise 5-point stencil per channel followed by a 1×1 coupling ({@link LeanModel}):
     * {@code Y_{j+1} = Y_j + h C₂D₂ σ(N(C₁D₁ Y_j) + b_j)}; about {@code 2(5c + c²)} stencil parameters per step
     * instead of {@code 18c²}.
     */
    public static EulerBlock lean(Geometry g, Activation act, Normalization norm, TimeWeights time, double h) {
        Sequential f = new Sequential(List.of(new ConvNormAct(g, new LeanModel(g.c(), g.c(), 3, true), act, norm),
                new ConvLayer(g, new LeanModel(g.c(), g.c(), 3, true), Boundary.PERIODIC, 1)));
        return new EulerBlock("lean", f, time, h);
    }

    /**
     * The IMEX block (seed 003): {@code Y_{j+1} = (I + hL_j)⁻¹(Y_j + h L_j Y_j + h f(Y_j, θ_j))} with the
     * learnable symmetric positive semi-definite {@code L = L_θᵀ L_θ} ({@code L_θ} a periodic {@code k × k}
     * stencil coupling the channels, or depthwise) and {@code f} the ResNet block's right-hand side. Since
     * {@code (I + hL)⁻¹(Y + hLY + hf) = Y + h (I + hL)⁻¹ f}, it is forward Euler with the right-hand side
     * {@code (I + hL)⁻¹ f(Y)}, the solve per frequency ({@link ConvSolve}) — which also spares the
     * cancellation of forming {@code Y + hLY} and undoing it.
     */
    public static EulerBlock imex(Geometry g, int k, Activation act, Normalization norm, boolean depthwise,
                                  TimeWeights time, double h) {
        StencilModel l = depthwise ? StencilModels.diagonal(g.c(), k) : StencilModels.full(g.c(), g.c(), k);
        Sequential f = new Sequential(List.of(doubleLayer(g, k, act, norm),
                new ConvSolve(g, ConvSolve.Kind.SHIFTED_NORMAL, l, h)));
        return new EulerBlock(depthwise ? "imex-depthwise" : "imex", f, time, h);
    }

    /**
     * Seed 003's Hamiltonian block, Verlet with two weight sets:
     * {@code Y_{j+1} = Y_j + h K_{j1}ᵀ σ(N(K_{j1} Z_j) + b_{j1})}, {@code Z_{j+1} = Z_j − h K_{j2}ᵀ σ(N(K_{j2} Y_{j+1}) + b_{j2})},
     * {@code Z₀ = 0}; {@code norm} null for none.
     */
    public static VerletBlock hamiltonian(Geometry g, int k, Activation act, Normalization norm, TimeWeights time, double h,
                                          boolean storeStates) {
        return new VerletBlock("hamiltonian", new SymmetricLayer(g, k, act, norm), new SymmetricLayer(g, k, act, norm),
                false, VerletBlock.Order.Y_FIRST, time, h, storeStates);
    }

    /**
     * Seed 004's Verlet network, one {@code K} and one {@code b} per step:
     * {@code Z_{j+1} = Z_j − h σ(K_jᵀ Y_j + b_j)}, {@code Y_{j+1} = Y_j + h σ(K_j Z_{j+1} + b_j)}, {@code Z₀ = 0}.
     */
    public static VerletBlock verlet(Geometry g, int k, Activation act, TimeWeights time, double h, boolean storeStates) {
        return new VerletBlock("verlet", new ConvActLayer(g, k, act, false), new ConvActLayer(g, k, act, true), true,
                VerletBlock.Order.Z_FIRST, time, h, storeStates);
    }

    /**
     * Seed 003's second-order block, leapfrog: {@code Y_{j+1} = 2Y_j − Y_{j−1} − h² K_jᵀ σ(N(K_j Y_j) + b_j)}
     * with {@code Y_{−1} = Y₀} (as a Verlet pair with the velocity {@code Z}); {@code norm} null for none.
     */
    public static VerletBlock leapfrog(Geometry g, int k, Activation act, Normalization norm, TimeWeights time, double h,
                                       boolean storeStates) {
        return new VerletBlock("leapfrog", new Identity(g), new SymmetricLayer(g, k, act, norm), false,
                VerletBlock.Order.Z_FIRST, time, h, storeStates);
    }

    /**
     * The antisymmetric block (seed 004): {@code Y_{j+1} = Y_j + h σ(½(K_j − K_jᵀ − γI) Y_j + b_j)}
     * ({@link AntisymmetricLayer}).
     */
    public static EulerBlock antisymmetric(Geometry g, int k, double gamma, Activation act, TimeWeights time, double h) {
        return new EulerBlock("antisymmetric", new AntisymmetricLayer(g, k, gamma, act), time, h);
    }
}
