package org.heatwave.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.DirectConv;
import org.heatwave.conv.DirectConvolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One multichannel 3×3 periodic convolution on a batch of 64 images, single thread: forward {@code K Y},
 * transpose {@code Kᵀ Z} and θ-gradient, by the FFT path ({@link Convolution.Method#FFT}: DFT of the
 * stack, per-frequency complex mixing, inverse DFT), by the direct method as per-pixel matrix products
 * ({@link DirectConvolution}, what {@link Convolution.Method#DIRECT} runs: forward, transpose, θ-gradient)
 * and by the direct reference sum ({@link DirectConv}).
 * {@code bench/conv-bench.sh} turns the times into GFLOP/s of direct-convolution work
 * ({@code 2·9·c_in·c_out·h·w·n} per operation) and into a fraction of the matrix-multiply peak measured
 * in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvolutionBench {
    static final int BATCH = 64;

    @Param({"7", "14", "28", "56"})
    public int size;

    @Param({"8", "16", "32", "64", "128"})
    public int width;

    private Convolution conv;
    private DirectConvolution direct;
    private DirectConvolution.Weights weights;
    private double[] theta;
    private PreparedKernel prepared;
    private FeatureMap y;
    private FeatureMap g;
    private double[] grad;

    @Setup(Level.Trial)
    public void setUp() {
        conv = new Convolution(width, width, 3, size, size, Boundary.PERIODIC, 1, Convolution.Method.FFT);
        SplittableRandom r = new SplittableRandom(1);
        theta = new double[conv.paramCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextGaussian() / (3 * Math.sqrt(width));
        }
        prepared = conv.prepare(theta, 0);
        direct = new DirectConvolution(width, width, 3, size, size);
        weights = direct.prepare(theta, 0);
        y = random(r, size, size, BATCH, width);
        g = random(r, size, size, BATCH, width);
        grad = new double[theta.length];
    }

    /** A map of standard normal values (shared by the benchmarks of this package). */
    static FeatureMap random(SplittableRandom r, int h, int w, int n, int c) {
        FeatureMap m = new FeatureMap(h, w, n, c);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (float) r.nextGaussian();
        }
        return m;
    }

    @Benchmark
    public FeatureMap fftForward() {
        return conv.apply(prepared, y);
    }

    @Benchmark
    public FeatureMap fftTranspose() {
        return conv.applyTranspose(prepared, g);
    }

    @Benchmark
    public void fftGradient(Blackhole bh) {
        conv.accumulateGradient(g, y, grad, 0);
        bh.consume(grad);
    }

    /** The kernel spectrum, once per parameter update (shared by every image of a task). */
    @Benchmark
    public Object fftPrepare() {
        return conv.prepare(theta, 0);
    }

    /** The direct method as per-pixel register-blocked products (the alternative to the FFT path). */
    @Benchmark
    public FeatureMap pixelForward() {
        return direct.apply(weights, y);
    }

    @Benchmark
    public FeatureMap pixelTranspose() {
        return direct.applyTranspose(weights, g);
    }

    @Benchmark
    public void pixelGradient(Blackhole bh) {
        direct.accumulateGradient(g, y, grad, 0);
        bh.consume(grad);
    }

    /** The float64 reference sum, for scale (run on the small cases only). */
    @Benchmark
    public FeatureMap directForward() {
        return DirectConv.apply(theta, 0, width, 3, y);
    }
}
