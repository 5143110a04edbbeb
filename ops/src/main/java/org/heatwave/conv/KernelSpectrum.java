package org.heatwave.conv;

/**
 * The Fourier symbol of a multichannel stencil on one image size, computed once per parameter update and
 * shared (read-only) by every image and by {@code K}, {@code Kᵀ} alike.
 *
 * <p>Two copies in the layouts the mixing loops want, so that every inner loop is a unit-stride
 * multiply-add over output channels: {@code forward} is {@code K̂_f[c][o]} ({@code c_in × c_out} per
 * frequency), {@code adjoint} is {@code conj(K̂_f[o][c])} ({@code c_out × c_in} per frequency).
 */
public record KernelSpectrum(int cout, int cin, int frequencies,
                             float[] forwardRe, float[] forwardIm, float[] adjointRe, float[] adjointIm) {
}
