/**
 * Multichannel convolutions: the operator {@code K(θ)}, its transpose {@code Kᵀ} and its parameter
 * gradient (seed 001).
 *
 * <p>Convention: cross-correlation with the stencil layout of {@link org.heatwave.conv.Stencil};
 * periodic boundary conditions. {@link org.heatwave.conv.SpectralConv} works in Fourier space (one
 * complex {@code c_out × c_in} matrix per frequency); {@link org.heatwave.conv.DirectConv} is the
 * defining-sum reference used in tests; {@link org.heatwave.conv.PointwiseConv} is the 1×1 case.
 */
package org.heatwave.conv;
