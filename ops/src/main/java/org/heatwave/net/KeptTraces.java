package org.heatwave.net;

import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.heatwave.layer.Layer;

/**
 * The forward traces of one Gauss–Newton operator's micro-batches, kept over its conjugate-gradient iterations (seed
 * 002's stochastic Gauss–Newton; issue 19). Within one CG solve θ and the curvature sample are fixed, so every product
 * {@code Σᵢ JᵢᵀHᵢJᵢ v} starts with the same forward pass; keeping each micro-batch's {@link Layer.Trace} makes every
 * product after the first a tangent and an adjoint pass only — 1.09× a gradient instead of 1.54× on the reference
 * network (BENCHMARKS.md, {@code GaussNewtonProductBench}). Hessian-free optimisation keeps the curvature mini-batch's
 * activations the same way (Martens 2010), as does JAX's {@code linearize}.
 *
 * <p>Nothing about the products changes: a trace is only read by the derivative passes ({@link Layer.Trace}; the
 * derivative kit checks every layer), so a kept trace and a recomputed one give the same bits. What changes is memory:
 * a trace holds ≈ 1.6 MB per 28×28 image on the reference network. The traces kept are bounded by a byte budget (by
 * default {@value #HEAP_FRACTION} of the JVM's maximum heap, {@link Layer.Trace#bytes}); a micro-batch that does not fit
 * is recomputed at every product, as without keeping. They are held softly: should the heap run short all the same, the
 * collector takes them instead of failing, and they are recomputed. And one operator keeps traces per JVM at a time: the
 * first micro-batch an operator keeps lets the previous operator's traces go, so a solve never holds a finished solve's
 * memory.
 *
 * <p>Two ways to own them: an operator on one JVM (the local objective) holds its own instance, freed with it; Spark
 * tasks, which outlive no product, find their operator's instance by its key ({@link #shared}) until another operator's
 * key, or {@link #releaseShared}, replaces it.
 */
public final class KeptTraces {
    /** The share of the JVM's maximum heap the kept traces may take. */
    public static final double HEAP_FRACTION = 0.25;
    /** The instance allowed to keep traces now (weakly: an operator dropped takes its traces with it). */
    private static WeakReference<KeptTraces> active = new WeakReference<>(null);
    /** The instance Spark tasks share, and its operator's key. */
    private static KeptTraces shared;
    private static String sharedKey;

    private final long budget;
    private final ConcurrentHashMap<Long, Kept> traces = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();

    /** Traces kept up to {@code budgetBytes}. */
    public KeptTraces(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("a budget of kept traces must be ≥ 0 bytes, got " + budgetBytes);
        }
        this.budget = budgetBytes;
    }

    /** Traces kept up to {@value #HEAP_FRACTION} of this JVM's maximum heap. */
    public static KeptTraces withinHeap() {
        return new KeptTraces((long) (Runtime.getRuntime().maxMemory() * HEAP_FRACTION));
    }

    /**
     * The instance of the operator {@code key} in this JVM, shared by its tasks: the one the last call made if its key
     * is {@code key}, else a new one {@link #withinHeap()}, whose first kept trace lets the previous operator's go.
     */
    public static synchronized KeptTraces shared(String key) {
        if (shared == null || !key.equals(sharedKey)) {
            if (shared != null) {
                shared.clear();
            }
            shared = withinHeap();
            sharedKey = key;
        }
        return shared;
    }

    /** Lets the shared instance's traces go (a job that is not a product at its θ has started, or training is done). */
    public static synchronized void releaseShared() {
        if (shared != null) {
            shared.clear();
            shared = null;
            sharedKey = null;
        }
    }

    /**
     * The trace of micro-batch {@code chunk}: the kept one, or {@code forward}'s, kept if it fits in the budget. Thread
     * safe; two threads asking for the same micro-batch at once may both compute it (the same bits).
     */
    public Layer.Trace get(long chunk, Supplier<Layer.Trace> forward) {
        Kept k = traces.get(chunk);
        Layer.Trace t = k == null ? null : k.trace().get();
        if (t != null) {
            hits.incrementAndGet();
            return t;
        }
        if (k != null && traces.remove(chunk, k)) {
            bytes.addAndGet(-k.bytes()); // the collector took it: memory was short
        }
        t = forward.get();
        computed.incrementAndGet();
        long size = t.bytes();
        if (bytes.addAndGet(size) <= budget && activate()) {
            if (traces.putIfAbsent(chunk, new Kept(new SoftReference<>(t), size)) != null) {
                bytes.addAndGet(-size);
            }
        } else {
            bytes.addAndGet(-size);
        }
        return t;
    }

    /** A kept trace, softly: the collector may take it rather than run out of memory (it is then recomputed). */
    private record Kept(SoftReference<Layer.Trace> trace, long bytes) {
    }

    /** Makes this the instance that keeps traces (the previous one's go); false if the budget is 0. */
    private boolean activate() {
        if (budget == 0) {
            return false;
        }
        KeptTraces previous;
        synchronized (KeptTraces.class) {
            previous = active.get();
            if (previous == this) {
                return true;
            }
            active = new WeakReference<>(this);
        }
        if (previous != null) {
            previous.clear();
        }
        return true;
    }

    /** Lets every kept trace go. */
    public void clear() {
        traces.clear();
        bytes.set(0);
    }

    /** Bytes of the traces kept now. */
    public long bytes() {
        return bytes.get();
    }

    /** Micro-batches whose trace was found kept. */
    public long hits() {
        return hits.get();
    }

    /** Micro-batches whose forward pass ran. */
    public long computed() {
        return computed.get();
    }

    @Override
    public String toString() {
        return traces.size() + " traces kept (" + bytes() / (1 << 20) + " of " + budget / (1 << 20) + " MB), " + hits()
                + " found, " + computed() + " computed";
    }
}
