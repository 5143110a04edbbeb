package org.heatwave.conv;

import org.heatwave.fft.Dft2;
import org.heatwave.fft.Spectrum;
import org.heatwave.tensor.FeatureMap;

/**
 * A periodic {@code k × k} multichannel convolution between spatial feature maps: the spectral path
 * ({@link Dft2} + {@link SpectralConv}) for {@code k > 1}, the pointwise path for {@code k = 1}. Layers
 * that hold their state in space use this; blocks that stay in Fourier space use {@link SpectralConv}.
 */
public final class PeriodicConv {
    private final int cout;
    private final int cin;
    private final int k;
    private final Dft2 dft;
    private final SpectralConv spectral;
    private final PointwiseConv pointwise;

    public PeriodicConv(int cout, int cin, int k, int h, int w) {
        Stencil.requireOdd(k);
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        if (k == 1) {
            dft = null;
            spectral = null;
            pointwise = new PointwiseConv(cout, cin);
        } else {
            dft = new Dft2(h, w);
            spectral = new SpectralConv(cout, cin, k, h, w);
            pointwise = null;
        }
    }

    public int paramCount() {
        return Stencil.paramCount(cout, cin, k);
    }

    public int stencilSize() {
        return k;
    }

    /** Per-update precomputation: the kernel spectrum, or the transposed 1×1 weights. Immutable. */
    public Object prepare(double[] theta, int off) {
        return k == 1 ? pointwise.prepare(theta, off) : spectral.spectrum(theta, off);
    }

    /** {@code K y}. */
    public FeatureMap apply(Object prepared, FeatureMap y) {
        if (k == 1) {
            return pointwise.apply((PointwiseConv.Prepared) prepared, y);
        }
        Spectrum z = new Spectrum(y.h(), y.w(), y.n(), cout);
        spectral.apply((KernelSpectrum) prepared, dft.forward(y), z, 1f, false);
        return dft.inverse(z);
    }

    /** {@code Kᵀ z}. */
    public FeatureMap applyTranspose(Object prepared, FeatureMap z) {
        if (k == 1) {
            return pointwise.applyTranspose((PointwiseConv.Prepared) prepared, z);
        }
        Spectrum y = new Spectrum(z.h(), z.w(), z.n(), cin);
        spectral.applyTranspose((KernelSpectrum) prepared, dft.forward(z), y, 1f, false);
        return dft.inverse(y);
    }

    /** {@code grad[off …] += ∂⟨g, K(θ) x⟩/∂θ}. */
    public void accumulateGradient(FeatureMap g, FeatureMap x, double[] grad, int off) {
        if (k == 1) {
            pointwise.accumulateGradient(g, x, grad, off);
            return;
        }
        Correlation p = spectral.newCorrelation();
        spectral.accumulateCorrelation(dft.forward(g), dft.forward(x), 1f, p);
        spectral.addStencilGradient(p, grad, off);
    }
}
