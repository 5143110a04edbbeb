package org.heatwave.kernels;

/**
 * Moving a kernel between image resolutions by keeping the differential operator it stands for (seed 000,
 * "Scaling Convolution Operators: Rediscretization"; seeds 002, 003): {@code β = A(h_from)⁻¹ θ}, then
 * {@code θ' = A(h_to) β} ({@link DifferentialBasis}). Pixel sizes are {@code 1/n} for an image of
 * {@code n} pixels across, so halving the pixel size doubles the resolution.
 *
 * <p>Seed 000's example: {@code n = 8}, {@code θ_coarse = (−67, 129, −59)} gives {@code β = (3, 1, 255/256)}
 * and on {@code n = 16} pixels {@code θ_fine = (−262.25, 511.5, −246.25)}.
 */
public final class Rediscretisation {
    private Rediscretisation() {
    }

    /** A 3-point stencil on a grid of pixel size {@code hFrom} rediscretised for pixel size {@code hTo}. */
    public static double[] stencil(double[] theta, double hFrom, double hTo) {
        return DifferentialBasis.stencil(DifferentialBasis.coefficients(theta, hFrom), hTo);
    }

    /** A 3×3 stencil (row-major) rediscretised from pixel sizes {@code (hyFrom, hxFrom)} to {@code (hyTo, hxTo)}. */
    public static double[] stencil2d(double[] theta, double hyFrom, double hxFrom, double hyTo, double hxTo) {
        return DifferentialBasis.stencil2d(DifferentialBasis.coefficients2d(theta, hyFrom, hxFrom), hyTo, hxTo);
    }

    /**
     * Every channel pair of a multichannel 3×3 kernel ({@link org.heatwave.conv.Stencil} layout,
     * {@code pairs = c_out·c_in} stencils from {@code theta[off]}) moved from {@code hFrom × wFrom} pixel images
     * to {@code hTo × wTo}; the result is a new array of {@code 9·pairs} entries.
     */
    public static double[] kernel(double[] theta, int off, int pairs, int hFrom, int wFrom, int hTo, int wTo) {
        if (off < 0 || pairs < 0 || off + 9L * pairs > theta.length) {
            throw new IllegalArgumentException("kernel of " + pairs + " 3x3 stencils at " + off
                    + " does not fit a parameter vector of " + theta.length);
        }
        requireSize(hFrom, wFrom);
        requireSize(hTo, wTo);
        double[] out = new double[9 * pairs];
        double[] one = new double[9];
        for (int p = 0; p < pairs; p++) {
            System.arraycopy(theta, off + 9 * p, one, 0, 9);
            double[] moved = stencil2d(one, 1.0 / hFrom, 1.0 / wFrom, 1.0 / hTo, 1.0 / wTo);
            System.arraycopy(moved, 0, out, 9 * p, 9);
        }
        return out;
    }

    private static void requireSize(int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
        }
    }
}
