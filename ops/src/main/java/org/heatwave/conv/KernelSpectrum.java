package org.heatwave.conv;

/**
 * The Fourier symbol of a multichannel stencil on one image size, computed once per parameter update and
 * shared (read-only) by every image and by {@code K}, {@code Kᵀ} alike:
 * {@code K̂_f[o][c] = Σ_{dy,dx} θ[o][c][dy][dx] e^{+2πi (kh·(dy−r)/h + kw·(dx−r)/w)}} (the plus sign because
 * {@link Stencil} is a cross-correlation).
 *
 * <p>Stored as the per-frequency matrices {@link SpectralMixing#mix} multiplies with, frequency-major and
 * row-major within a frequency:
 * <ul>
 *   <li>{@code re[(f·cin + c)·cout + o] + i·im[…] = K̂_f[o][c]} — the {@code cin × cout} matrix applied
 *       to a batch's {@code [n × cin]} block for {@code K};</li>
 *   <li>{@code adjointRe[(f·cout + o)·cin + c] + i·adjointIm[…] = conj(K̂_f[o][c])} — the
 *       {@code cout × cin} matrix for {@code Kᵀ}.</li>
 * </ul>
 */
public record KernelSpectrum(int cout, int cin, int frequencies,
                             float[] re, float[] im, float[] adjointRe, float[] adjointIm) implements PreparedKernel {
}
