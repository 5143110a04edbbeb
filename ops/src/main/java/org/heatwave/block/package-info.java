/**
 * Blocks: time-stepping schemes for the feature ODE/PDE {@code ∂_t Y = f(Y, θ(t))}, one step per layer,
 * with weights per step (DESIGN.md §2). Each is a {@link org.heatwave.layer.Layer}.
 */
package org.heatwave.block;
