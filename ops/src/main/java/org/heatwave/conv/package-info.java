/**
 * Multichannel convolutions: the operator {@code K(θ)}, its transpose {@code Kᵀ}, its parameter gradient
 * and, where the DFT diagonalises it, its solves (seed 001).
 *
 * <p>Convention: cross-correlation with the stencil layout of {@link org.heatwave.conv.Stencil};
 * periodic or zero {@link org.heatwave.conv.Boundary} conditions, any stride
 * ({@link org.heatwave.conv.Convolution}). {@link org.heatwave.conv.SpectralConv} works in Fourier space
 * (one complex {@code c_out × c_in} matrix per frequency, {@link org.heatwave.conv.SpectralMixing});
 * {@link org.heatwave.conv.SpectralSolve} inverts it per frequency; {@link org.heatwave.conv.DirectConvolution}
 * computes it in space as per-pixel products; {@link org.heatwave.conv.PointwiseConv} is a simple 1×1 product (the classifier's; 1×1 convolutions run on the direct path);
 * {@link org.heatwave.conv.DirectConv} is the defining-sum reference used in tests.
 */
package org.heatwave.conv;
