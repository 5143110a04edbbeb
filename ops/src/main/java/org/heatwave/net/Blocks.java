package org.heatwave.net;

import java.util.List;
import org.heatwave.act.Activation;
import org.heatwave.block.EulerBlock;
import org.heatwave.block.TimeWeights;
import org.heatwave.conv.Boundary;
import org.heatwave.layer.AntisymmetricLayer;
import org.heatwave.layer.ConvLayer;
import org.heatwave.layer.ConvNormAct;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Normalization;

/**
 * The seeds' blocks, each an integrator applied to a right-hand side (docs/progress/4.md): the pieces live
 * in {@code block} and {@code layer}; this puts them together as the seeds write them.
 */
public final class Blocks {
    private Blocks() {
    }

    /**
     * The ResNet block as forward Euler (seed 000 "double layer", seed 003):
     * {@code Y_{j+1} = Y_j + h K_{j,2} σ(N(K_{j,1} Y_j) + b_j)} — periodic {@code k × k} convolutions on
     * {@code c} channels, normalisation {@code N} with trainable scale and shift (the shift is {@code b}).
     */
    public static EulerBlock resnet(Geometry g, int k, Activation act, Normalization norm, TimeWeights time, double h) {
        Sequential f = new Sequential(List.of(new ConvNormAct(g, g.c(), k, act, norm),
                new ConvLayer(g, g.c(), k, Boundary.PERIODIC, 1)));
        return new EulerBlock("resnet", f, time, h);
    }

    /**
     * The antisymmetric block (seed 004): {@code Y_{j+1} = Y_j + h σ(½(K_j − K_jᵀ − γI) Y_j + b_j)}
     * ({@link AntisymmetricLayer}).
     */
    public static EulerBlock antisymmetric(Geometry g, int k, double gamma, Activation act, TimeWeights time, double h) {
        return new EulerBlock("antisymmetric", new AntisymmetricLayer(g, k, gamma, act), time, h);
    }
}
