package org.heatwave.conv;

/**
 * The Fourier symbol of a multichannel stencil on one image size, computed once per parameter update and
 * shared (read-only) by every image and by {@code K}, {@code Kᵀ} alike.
 *
 * <p>Stored as rows in the layout the owning {@link SpectralConv} multiplies with (each row is one
 * unit-stride vector loop):
 * <ul>
 *   <li>{@code channelRows == false} (many frequencies): one row over frequencies per channel pair,
 *       {@code re[o·cin + c][f] + i·im[o·cin + c][f] = K̂_f[o][c]}; {@code Kᵀ} uses the same rows
 *       conjugated and {@code adjointRe}, {@code adjointIm} are {@code null};</li>
 *   <li>{@code channelRows == true} (few frequencies, many channels): one row over output channels per
 *       frequency and input channel, {@code re[f·cin + c][o] + i·im[…][o] = K̂_f[o][c]}, and for {@code Kᵀ}
 *       {@code adjointRe[f·cout + o][c] + i·adjointIm[…][c] = conj(K̂_f[o][c])}.</li>
 * </ul>
 */
public record KernelSpectrum(int cout, int cin, int frequencies, boolean channelRows,
                             float[][] re, float[][] im, float[][] adjointRe, float[][] adjointIm) {
}
