package org.heatwave.net;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.heatwave.layer.Geometry;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * The JIT's warm-up of a network's training step, run while the rest of the process starts.
 *
 * <p>A fresh JVM runs the network's kernels in the interpreter, then through the C1 and C2 compilers: the first
 * training step of a run takes ≈ 2 s and the first ten ≈ 5 s where warm steps take 0.13 s each (BENCHMARKS.md,
 * issue 18). Meanwhile starting Spark and loading the data keep about one core busy. A warm-up runs training steps
 * of the same network — bind θ, forward, loss, the full gradient ({@link Network#evaluate}) — on synthetic images
 * of the same micro-batch size in a daemon thread, so that by the first real step the hot kernels are compiled. It
 * is started as early as the network is known and {@link #close() stopped} when training starts.
 *
 * <p>It changes no result: its network instance, parameters, images and gradient are its own, and the kernels keep
 * no state between calls (per-thread scratch only). Float arithmetic in Java gives the same bits interpreted or
 * compiled, so a warmer JIT only makes the same steps faster.
 */
public final class WarmUp implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger steps = new AtomicInteger();
    private volatile boolean stopped;

    private WarmUp(Network network, int batch, long limitNanos) {
        Geometry in = network.input();
        thread = new Thread(() -> run(network, in, batch, limitNanos), "heatwave-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts warming {@code network}'s training step on micro-batches of {@code batch} synthetic images, for at most
     * {@code limitSeconds} (a stop that never comes costs no more than that).
     */
    public static WarmUp start(Network network, int batch, double limitSeconds) {
        if (batch < 1) {
            throw new IllegalArgumentException("warm-up batch must be positive, got " + batch);
        }
        WarmUp w = new WarmUp(network, batch, (long) (limitSeconds * 1e9));
        w.thread.start();
        return w;
    }

    private void run(Network network, Geometry in, int batch, long limitNanos) {
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(1);
        float[] pixels = new float[batch * in.c() * in.h() * in.w()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(network.classes());
        }
        Batch images = new Batch(new Shape(batch, in.c(), in.h(), in.w()), pixels);
        double[] theta = network.init(1);
        double[] gradient = new double[theta.length];
        while (!stopped && System.nanoTime() - start < limitNanos) {
            network.evaluate(network.bind(theta), images, labels, 0, gradient);
            steps.incrementAndGet();
        }
    }

    /** Training steps completed so far. */
    public int steps() {
        return steps.get();
    }

    /** Stops after the current step (the call does not wait for it). */
    @Override
    public void close() {
        stopped = true;
    }

    /** Waits up to {@code seconds} for the warm-up thread to end; true if it has. */
    public boolean awaitEnd(double seconds) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) (seconds * 1e9))));
        return !thread.isAlive();
    }
}
