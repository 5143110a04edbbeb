package org.heatwave.conv;

/**
 * Boundary conditions of a convolution (seed 001, "Structured Matrices"): what the stencil reads beyond
 * the image edge.
 */
public enum Boundary {
    /** Periodic: {@code w1 = x_n}, {@code w2 = x_1}; each channel pair is BCCB, diagonalised by the 2-D DFT. */
    PERIODIC,
    /**
     * Zero: {@code w1 = w2 = 0}; each channel pair is block Toeplitz. Computed exactly as a periodic
     * convolution on the image padded with {@code r} zero rows and columns, then cropped.
     */
    ZERO
}
