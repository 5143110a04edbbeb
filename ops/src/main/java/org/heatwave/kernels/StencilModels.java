package org.heatwave.kernels;

import org.heatwave.conv.Stencil;

/**
 * The linear parametric models of seed 001 for multichannel {@code k × k} stencils ({@link Stencil}
 * layout: {@code (K Y)_o = Σ_c θ[o][c] ⋆ Y_c}, cross-correlation). Each factory states {@code Q} by
 * what it writes into the full stencil; {@link LinearStencilModel} derives {@code Qᵀ} from the same
 * entries. For models that couple a channel pair with its mirror ({@code [o][c]} and {@code [c][o]}) the
 * operator's transpose is the stencil {@code (Kᵀ)[o][c][d] = K[c][o][−d]} (point-reflected).
 */
public final class StencilModels {
    /** Centre and the four edge neighbours of a 3×3 stencil, {@code (dy, dx)}. */
    private static final int[][] FIVE_POINT_TAPS = {{0, 1}, {1, 0}, {1, 1}, {1, 2}, {2, 1}};

    private StencilModels() {
    }

    /** The 5-point cross's taps {@code dy·3 + dx}, in the order the 5-point models lay out their parameters. */
    public static int[] fivePointTaps() {
        return java.util.Arrays.stream(FIVE_POINT_TAPS).mapToInt(t -> t[0] * 3 + t[1]).toArray();
    }

    /** Every entry free: {@code Q = I}. */
    public static LinearStencilModel full(int cout, int cin, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(cin, k);
        int col = 0;
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        q.add(o, c, dy, dx, col++, 1);
                    }
                }
            }
        }
        return new LinearStencilModel(LinearStencilModel.FULL, cout, cin, k, col, q, false);
    }

    /**
     * Diagonal in the channels (seed 001's {@code diag(θ)} for the channel coupling): channel c only sees
     * channel c through its own stencil — a depthwise convolution. Needs {@code c_out = c_in}.
     */
    public static LinearStencilModel diagonal(int channels, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(channels, k);
        int col = 0;
        for (int c = 0; c < channels; c++) {
            for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                    q.add(c, c, dy, dx, col++, 1);
                }
            }
        }
        return new LinearStencilModel("diagonal", channels, channels, k, col, q, false);
    }

    /**
     * Antisymmetric operator {@code Kᵀ = −K} (seed 001; its eigenvalues are imaginary): a free stencil for
     * each channel pair {@code o < c} with {@code K[c][o][d] = −K[o][c][−d]}, and on the diagonal
     * point-antisymmetric stencils {@code K[c][c][d] = −K[c][c][−d]} (centre zero).
     */
    public static LinearStencilModel antisymmetric(int channels, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(channels, k);
        int col = 0;
        for (int o = 0; o < channels; o++) {
            for (int c = o + 1; c < channels; c++) {
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        q.add(o, c, dy, dx, col, 1);
                        q.add(c, o, k - 1 - dy, k - 1 - dx, col, -1);
                        col++;
                    }
                }
            }
            int half = (k * k - 1) / 2;
            for (int t = 0; t < half; t++) {
                int dy = t / k;
                int dx = t % k;
                q.add(o, o, dy, dx, col, 1);
                q.add(o, o, k - 1 - dy, k - 1 - dx, col, -1);
                col++;
            }
        }
        return new LinearStencilModel("antisymmetric", channels, channels, k, col, q, false);
    }

    /**
     * M-matrix (seed 001, θ ≥ 0): every coupling except a channel's own centre is {@code −θ ≤ 0}, and the
     * centre of {@code K[o][o]} is the sum of the row's θ, so {@code K·1 = 0} and K is a (singular)
     * M-matrix, "like a differential operator". {@link LinearStencilModel#project} clamps θ to θ ≥ 0.
     */
    public static LinearStencilModel mMatrix(int channels, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(channels, k);
        int r = k / 2;
        int col = 0;
        for (int o = 0; o < channels; o++) {
            for (int c = 0; c < channels; c++) {
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        if (c == o && dy == r && dx == r) {
                            continue;
                        }
                        q.add(o, c, dy, dx, col, -1);
                        q.add(o, o, r, r, col, 1);
                        col++;
                    }
                }
            }
        }
        return new LinearStencilModel("m-matrix", channels, channels, k, col, q, true);
    }

    /** The 5-point stencil (centre and the four edge neighbours; corners zero) per channel pair, 3×3. */
    public static LinearStencilModel fivePoint(int cout, int cin) {
        var q = new LinearStencilModel.Builder(cin, 3);
        int col = 0;
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int[] t : FIVE_POINT_TAPS) {
                    q.add(o, c, t[0], t[1], col++, 1);
                }
            }
        }
        return new LinearStencilModel("5-point", cout, cin, 3, col, q, false);
    }

    /** One 5-point stencil per channel, no coupling between channels (the spatial half of seed 003's lean layer). */
    public static LinearStencilModel depthwiseFivePoint(int channels) {
        var q = new LinearStencilModel.Builder(channels, 3);
        int col = 0;
        for (int c = 0; c < channels; c++) {
            for (int[] t : FIVE_POINT_TAPS) {
                q.add(c, c, t[0], t[1], col++, 1);
            }
        }
        return new LinearStencilModel("depthwise 5-point", channels, channels, 3, col, q, false);
    }

    /**
     * Doubly symmetric stencils (seed 001's cheaper models): symmetric under {@code dy → −dy} and under
     * {@code dx → −dx}; {@code (r+1)²} parameters per pair ({@code θ[|dy|][|dx|]}), 4 for 3×3.
     */
    public static LinearStencilModel doublySymmetric(int cout, int cin, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(cin, k);
        int r = k / 2;
        int col = 0;
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int ay = 0; ay <= r; ay++) {
                    for (int ax = 0; ax <= r; ax++) {
                        for (int dy : ay == 0 ? new int[] {r} : new int[] {r - ay, r + ay}) {
                            for (int dx : ax == 0 ? new int[] {r} : new int[] {r - ax, r + ax}) {
                                q.add(o, c, dy, dx, col, 1);
                            }
                        }
                        col++;
                    }
                }
            }
        }
        return new LinearStencilModel("doubly-symmetric", cout, cin, k, col, q, false);
    }

    /**
     * Zero-mean stencils: the orthogonal projection {@code θ ↦ θ − mean(θ)} of every channel pair's stencil
     * ({@code Q = Qᵀ = I − 11ᵀ/k²} per pair), so each pair annihilates constant images, as a derivative does.
     */
    public static LinearStencilModel zeroMean(int cout, int cin, int k) {
        requireK(k);
        var q = new LinearStencilModel.Builder(cin, k);
        int taps = k * k;
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                int base = (o * cin + c) * taps;
                for (int t = 0; t < taps; t++) {
                    for (int s = 0; s < taps; s++) {
                        q.add(o, c, t / k, t % k, base + s, (s == t ? 1.0 : 0.0) - 1.0 / taps);
                    }
                }
            }
        }
        return new LinearStencilModel("zero-mean", cout, cin, k, cout * cin * taps, q, false);
    }

    static void requireK(int k) {
        Stencil.requireOdd(k);
    }
}
