package org.heatwave.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
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
 * The other convolution cases of issue 3 by both methods, single thread, batch 64, 32 → 32 channels on
 * 28×28: periodic against zero boundaries, 3×3 against 5×5, stride 1 against 2. The FFT path runs a zero
 * boundary on the image padded by the stencil radius and a stride at full resolution, then subsamples; the
 * direct method reads zeros beyond the edge and computes only the kept pixels (its transpose still visits
 * every input pixel).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvolutionVariantsBench {
    static final int BATCH = 64;
    static final int SIZE = 28;
    static final int WIDTH = 32;

    @Param({"PERIODIC", "ZERO"})
    public Boundary boundary;

    @Param({"3", "5"})
    public int k;

    @Param({"1", "2"})
    public int stride;

    @Param({"FFT", "DIRECT"})
    public Convolution.Method method;

    private Convolution conv;
    private PreparedKernel prepared;
    private FeatureMap y;
    private FeatureMap g;
    private double[] grad;

    @Setup(Level.Trial)
    public void setUp() {
        conv = new Convolution(WIDTH, WIDTH, k, SIZE, SIZE, boundary, stride, method);
        SplittableRandom r = new SplittableRandom(1);
        double[] theta = new double[conv.paramCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextGaussian() / (k * Math.sqrt(WIDTH));
        }
        prepared = conv.prepare(theta, 0);
        y = ConvolutionBench.random(r, SIZE, SIZE, BATCH, WIDTH);
        g = ConvolutionBench.random(r, conv.outputH(), conv.outputW(), BATCH, WIDTH);
        grad = new double[theta.length];
    }

    @Benchmark
    public FeatureMap forward() {
        return conv.apply(prepared, y);
    }

    @Benchmark
    public FeatureMap transpose() {
        return conv.applyTranspose(prepared, g);
    }

    @Benchmark
    public void gradient(Blackhole bh) {
        conv.accumulateGradient(g, y, grad, 0);
        bh.consume(grad);
    }
}
