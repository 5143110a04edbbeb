package org.heatwave.layer;

import org.heatwave.kernels.StencilModel;

/**
 * A convolution kernel among a network's parameters: {@code model.paramCount()} entries at
 * {@code offset}, mapped by {@code model} to the full {@code c_out × c_in × k × k} stencil that acts on
 * images of {@code height × width} pixels. What multilevel training moves between resolutions
 * ({@link org.heatwave.multilevel.NetworkTransfer}): a stencil is a differential operator discretised on
 * that grid (seeds 002, 003).
 */
public record KernelSlot(int offset, StencilModel model, int height, int width) {
}
