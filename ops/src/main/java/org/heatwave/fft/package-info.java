/**
 * Discrete Fourier transforms of feature stacks.
 *
 * <p>Convention: forward unscaled with {@code e^{−2πi k·x/N}}, inverse scaled by {@code 1/N}; only the
 * half spectrum {@code kw ≤ w/2} is stored (real signals). Periodic boundary conditions throughout: a
 * periodic convolution is a block-circulant-with-circulant-blocks (BCCB) matrix, diagonal in this basis
 * (seed 001).
 */
package org.heatwave.fft;
