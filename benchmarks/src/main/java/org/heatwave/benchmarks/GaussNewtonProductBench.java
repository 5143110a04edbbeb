package org.heatwave.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Architecture;
import org.heatwave.net.Network;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.tensor.Shape;
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

/**
 * What a Gauss–Newton product {@code Σᵢ JᵢᵀHᵢJᵢ v} costs against a gradient on the reference network (the main
 * job's parabolic network, widths 16/32/64, 3 steps, on 28×28 images), single thread, per micro-batch (issue 19):
 * {@code gradient} is a forward and an adjoint pass ({@link Network#evaluate}); {@code product} a forward, a tangent and
 * an adjoint pass ({@link Network#gaussNewtonProduct}); {@code productOnTrace} the same product with the forward pass's
 * trace kept from an earlier product at the same θ (what conjugate gradients can reuse: θ stays fixed over one solve);
 * {@code forward} and {@code tangent} are the passes alone. The set-up prints the trace's bytes per image
 * ({@link Layer.Trace#bytes}), which bound how many examples' traces a JVM can keep ({@link org.heatwave.net.KeptTraces}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class GaussNewtonProductBench {
    static final int SIZE = 28;
    static final int CLASSES = 10;

    /** Examples per micro-batch (the Spark objective's chunks are up to 256). */
    @Param({"128"})
    public int batch;

    private Network net;
    private Layer.Bound bound;
    private Batch images;
    private FeatureMap x;
    private int[] labels;
    private double[] v;
    private double[] out;
    private Layer.Trace trace;

    @Setup(Level.Trial)
    public void setUp() {
        net = reference();
        double[] theta = net.init(1);
        bound = net.bind(theta);
        SplittableRandom r = new SplittableRandom(2);
        images = random(r, batch);
        x = images.toFeatureMap();
        labels = r.ints(batch, 0, CLASSES).toArray();
        v = new double[net.paramCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 1e-2;
        }
        out = new double[net.paramCount()];
        trace = net.forward(bound, images);
        System.out.printf("%n%s: a trace of %d images keeps %.1f MB, %.0f KB per image%n", net, batch,
                trace.bytes() / 1e6, trace.bytes() / 1e3 / batch);
    }

    /** The reference network of {@code conf/fashion-mnist-parabolic.conf}. */
    static Network reference() {
        return Network.build(new Geometry(SIZE, SIZE, 1), new int[] {16, 32, 64}, 3, 0.5, Activation.TANH,
                Activation.RELU, Normalization.INSTANCE, Architecture.PARABOLIC, CLASSES);
    }

    static Batch random(SplittableRandom r, int n) {
        float[] data = new float[n * SIZE * SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble();
        }
        return new Batch(new Shape(n, 1, SIZE, SIZE), data);
    }

    @Benchmark
    public double[] gradient() {
        java.util.Arrays.fill(out, 0);
        net.evaluate(bound, images, labels, 0, out);
        return out;
    }

    @Benchmark
    public double[] product() {
        java.util.Arrays.fill(out, 0);
        net.gaussNewtonProduct(bound, images, v, out);
        return out;
    }

    @Benchmark
    public double[] productOnTrace() {
        java.util.Arrays.fill(out, 0);
        net.gaussNewtonProduct(bound, trace, v, out);
        return out;
    }

    @Benchmark
    public Layer.Trace forward() {
        return net.forward(bound, images);
    }

    @Benchmark
    public FeatureMap tangent() {
        return bound.jvp(trace, v, 0, x.zerosLike());
    }
}
