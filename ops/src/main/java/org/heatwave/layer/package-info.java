/**
 * Layers: differentiable maps {@code Y⁺ = F(θ, Y)} with forward, tangent ({@code jvp}) and adjoint
 * ({@code vjp}) passes ({@link org.heatwave.layer.Layer}), and the primitives they are made of
 * (normalisation, pooling). Features are {@link org.heatwave.tensor.FeatureMap}s; parameters are slices
 * of the network's flat float64 vector.
 */
package org.heatwave.layer;
