package org.heatwave.kernels;

import java.util.List;

/**
 * A 3-point stencil as a combination of three difference operators (seed 000, "Convolutions and PDEs"):
 *
 * <pre>
 *   [θ1 θ2 θ3] = β1·[1 2 1]/4 + β2·[−1 0 1]/(2h) + β3·[−1 2 −1]/h²,   i.e.  θ = A(h) β,
 *
 *          ⎛ 1/4  −1/(2h)  −1/h² ⎞
 *   A(h) = ⎜ 1/2     0      2/h² ⎟
 *          ⎝ 1/4   1/(2h)  −1/h² ⎠
 * </pre>
 *
 * With heatwave's cross-correlation convention ({@code (K y)_i = θ1 y_{i−1} + θ2 y_i + θ3 y_{i+1}},
 * {@link org.heatwave.conv.Stencil}) the three operators tend, as the pixel size {@code h → 0}, to
 * {@code y}, {@code ∂y/∂x} and {@code −∂²y/∂x²}: {@code K(θ) → β1 + β2 ∂x − β3 ∂xx} (the seed writes the
 * last sign loosely; the matrix above is the seed's and is what is implemented). The inverse is explicit:
 * {@code β1 = θ1 + θ2 + θ3}, {@code β2 = h(θ3 − θ1)}, {@code β3 = h²(θ2 − θ1 − θ3)/4}.
 *
 * <p>In 2-D a 3×3 stencil {@code θ[dy][dx]} is the tensor product {@code θ = (A(h_y) ⊗ A(h_x)) β}:
 * {@code θ[dy][dx] = Σ_{a,b} A(h_y)[dy][a] A(h_x)[dx][b] β[a][b]}, nine operators (seed 000's
 * "Convolution and PDEs — 2D case"), listed in {@link #OPERATORS_2D} in the storage order of β.
 */
public final class DifferentialBasis {
    /**
     * The nine 2-D operators in the order β is stored ({@code β[a·3 + b]}, a along y, b along x): products of
     * the 1-D operators M = [1 2 1]/4 (→ 1), D = [−1 0 1]/(2h) (→ ∂), L = [−1 2 −1]/h² (→ −∂²).
     */
    public static final List<String> OPERATORS_2D = List.of(
            "1", "∂x", "−∂xx", "∂y", "∂x∂y", "−∂xx∂y", "−∂yy", "−∂x∂yy", "∂xx∂yy");

    private DifferentialBasis() {
    }

    /** The matrix {@code A(h)} of the 1-D change of basis, row-major {@code [tap][operator]}. */
    public static double[][] matrix(double h) {
        requirePositive(h);
        return new double[][] {
            {0.25, -1 / (2 * h), -1 / (h * h)},
            {0.5, 0, 2 / (h * h)},
            {0.25, 1 / (2 * h), -1 / (h * h)},
        };
    }

    /** {@code θ = A(h) β} for a 3-point stencil. */
    public static double[] stencil(double[] beta, double h) {
        requireLength(beta, 3, "β");
        double[][] a = matrix(h);
        double[] theta = new double[3];
        for (int i = 0; i < 3; i++) {
            theta[i] = a[i][0] * beta[0] + a[i][1] * beta[1] + a[i][2] * beta[2];
        }
        return theta;
    }

    /** {@code β = A(h)⁻¹ θ} for a 3-point stencil (the explicit inverse in the class comment). */
    public static double[] coefficients(double[] theta, double h) {
        requireLength(theta, 3, "θ");
        requirePositive(h);
        return new double[] {
            theta[0] + theta[1] + theta[2],
            h * (theta[2] - theta[0]),
            h * h * (theta[1] - theta[0] - theta[2]) / 4,
        };
    }

    /** {@code θ = (A(h_y) ⊗ A(h_x)) β} for a 3×3 stencil (row-major {@code θ[dy·3 + dx]}). */
    public static double[] stencil2d(double[] beta, double hy, double hx) {
        requireLength(beta, 9, "β");
        return tensor(matrix(hy), matrix(hx), beta);
    }

    /** {@code β = (A(h_y)⁻¹ ⊗ A(h_x)⁻¹) θ} for a 3×3 stencil. */
    public static double[] coefficients2d(double[] theta, double hy, double hx) {
        requireLength(theta, 9, "θ");
        return tensor(inverse(hy), inverse(hx), theta);
    }

    /** {@code A(h)⁻¹}, row-major. */
    static double[][] inverse(double h) {
        requirePositive(h);
        return new double[][] {
            {1, 1, 1},
            {-h, 0, h},
            {-h * h / 4, h * h / 4, -h * h / 4},
        };
    }

    /** {@code out[i·3 + j] = Σ_{a,b} y[i][a] x[j][b] v[a·3 + b]}: {@code (Y ⊗ X) v}. */
    private static double[] tensor(double[][] y, double[][] x, double[] v) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        s += y[i][a] * x[j][b] * v[a * 3 + b];
                    }
                }
                out[i * 3 + j] = s;
            }
        }
        return out;
    }

    private static void requireLength(double[] v, int n, String what) {
        if (v.length != n) {
            throw new IllegalArgumentException(what + " must have " + n + " entries, got " + v.length);
        }
    }

    private static void requirePositive(double h) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("pixel size h must be positive and finite, got " + h);
        }
    }
}
