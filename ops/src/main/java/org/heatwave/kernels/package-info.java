/**
 * Convolution kernels as discretised differential operators and their transfer between image
 * resolutions (seeds 000, 002, 003): the change of basis {@code θ = A(h) β}, rediscretisation at fixed
 * {@code β}, and the Galerkin coarse operator {@code K_H = R K_h P}. Stencils follow
 * {@link org.heatwave.conv.Stencil}'s cross-correlation convention.
 */
package org.heatwave.kernels;
