package org.heatwave.reg;

/**
 * {@code R(W) = ½ λ Σ_k ‖L w_k‖²} for weights that are images (seed 001, "columns in W can be seen as
 * images: {@code wᵀy ≈ ∫ w(ξ) y(ξ) dξ}; if L is a discrete derivative operator, entries need to be
 * smooth"): {@code count} images of {@code h × w} values stored one after the other from {@code offset},
 * row-major, and {@code L} the 5-point Laplacian {@code (1/δ²)[0 1 0; 1 −4 1; 0 1 0]} with zero (Dirichlet)
 * values beyond the edge, as the seed's {@code spdiags} construction, and pixel size {@code δ = 1/h}.
 * {@code L} is symmetric, so {@code ∇R = λ L L w}.
 */
public final class ImageSmoothness implements Regularizer {
    private final double lambda;
    private final int offset;
    private final int count;
    private final int h;
    private final int w;

    public ImageSmoothness(double lambda, int offset, int count, int h, int w) {
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("a smoothness weight must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.offset = offset;
        this.count = count;
        this.h = h;
        this.w = w;
    }

    @Override
    public String describe() {
        return "½‖L W‖² λ=" + lambda + " on " + count + " images " + h + "x" + w;
    }

    @Override
    public double addGradient(double[] theta, double[] grad) {
        int size = h * w;
        double[] lw = new double[size];
        double[] llw = new double[size];
        double r = 0;
        for (int k = 0; k < count; k++) {
            int base = offset + k * size;
            laplacian(theta, base, lw, 0);
            for (double v : lw) {
                r += v * v;
            }
            laplacian(lw, 0, llw, 0);
            for (int i = 0; i < size; i++) {
                grad[base + i] += lambda * llw[i];
            }
        }
        return 0.5 * lambda * r;
    }

    /** {@code ∇²R v = λ L L v} (R is quadratic). */
    @Override
    public void addHessianProduct(double[] theta, double[] v, double[] out) {
        int size = h * w;
        double[] lv = new double[size];
        double[] llv = new double[size];
        for (int k = 0; k < count; k++) {
            int base = offset + k * size;
            laplacian(v, base, lv, 0);
            laplacian(lv, 0, llv, 0);
            for (int i = 0; i < size; i++) {
                out[base + i] += lambda * llv[i];
            }
        }
    }

    /** {@code out = L u} for the image {@code u[off …]}. */
    void laplacian(double[] u, int off, double[] out, int oOff) {
        double scale = (double) h * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double c = u[off + y * w + x];
                double s = -4 * c;
                s += y > 0 ? u[off + (y - 1) * w + x] : 0;
                s += y < h - 1 ? u[off + (y + 1) * w + x] : 0;
                s += x > 0 ? u[off + y * w + x - 1] : 0;
                s += x < w - 1 ? u[off + y * w + x + 1] : 0;
                out[oOff + y * w + x] = scale * s;
            }
        }
    }
}
