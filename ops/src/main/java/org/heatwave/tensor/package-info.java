/**
 * Float32 feature tensors.
 *
 * <p>Two layouts, one per purpose: {@link org.heatwave.tensor.Batch} is the exchange layout
 * {@code [n][c][h][w]} of datasets and files; {@link org.heatwave.tensor.FeatureMap} is the network's
 * internal layout {@code [h][w][n][c]}, in which transforms and channel mixing run as long unit-stride
 * loops. Parameters, optimiser state and reductions are float64 ({@code double[]}), features float32.
 */
package org.heatwave.tensor;
