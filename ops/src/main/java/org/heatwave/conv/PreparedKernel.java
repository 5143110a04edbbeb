package org.heatwave.conv;

/**
 * A convolution's per-update precomputation, immutable and shared by every image of a task: the kernel
 * spectrum of the FFT path, the rearranged weights of the direct method, or the transposed weights of the
 * 1×1 path ({@link Convolution#prepare}).
 */
public sealed interface PreparedKernel permits KernelSpectrum, DirectConvolution.Weights, PointwiseConv.Prepared {
}
