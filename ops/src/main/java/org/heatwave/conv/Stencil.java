package org.heatwave.conv;

/**
 * The stencil convention of every convolution in heatwave, stated once.
 *
 * <p>A multichannel convolution {@code K(θ)} maps {@code c_in} channels to {@code c_out} channels with a
 * {@code k × k} stencil ({@code k} odd, radius {@code r = (k−1)/2}) per channel pair, as a
 * <em>cross-correlation</em> (the deep-learning convention, the same as PyTorch's {@code conv2d}):
 *
 * <pre>(K Y)_o(y, x) = Σ_c Σ_{dy,dx=0}^{k−1} θ[o][c][dy][dx] · Y_c(y + dy − r, x + dx − r)</pre>
 *
 * with periodic indices. The parameter vector is laid out {@code θ[((o·c_in + c)·k + dy)·k + dx]}. A
 * stencil {@code [θ1 θ2 θ3]} in 1-D thus acts as {@code θ1 y(x−1) + θ2 y(x) + θ3 y(x+1)}, matching
 * seed 000's {@code [−1 0 1]/(2h)} for {@code ∂x}. In Fourier space the operator is
 * {@code K̂(k) = Σ_a θ(a) e^{+2πi k·a/N}} per channel pair; its transpose uses the conjugate.
 */
public final class Stencil {
    private Stencil() {
    }

    /** Number of parameters of a {@code cout × cin} stencil of size {@code k × k}. */
    public static int paramCount(int cout, int cin, int k) {
        return cout * cin * k * k;
    }

    /** Index of {@code θ[o][c][dy][dx]}. */
    public static int index(int cin, int k, int o, int c, int dy, int dx) {
        return ((o * cin + c) * k + dy) * k + dx;
    }

    /** Checks that {@code k} is a supported odd stencil size. */
    public static void requireOdd(int k) {
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException("stencil size must be odd and positive, got " + k);
        }
    }

    /** @throws IllegalArgumentException unless {@code stride ≥ 1} */
    public static void requireStride(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be ≥ 1, got " + stride);
        }
    }
}
