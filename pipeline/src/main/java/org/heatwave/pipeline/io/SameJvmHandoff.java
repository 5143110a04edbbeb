package org.heatwave.pipeline.io;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values handed between the driver and the tasks of a job when they run in one JVM (Spark local mode), by reference
 * instead of serialised: the driver's decoded dataset files ({@code DistributedDataset}), θ and the requested indices of
 * a step, and the tasks' partial sums on their way back ({@code JobInput}, {@code DistributedObjective}).
 *
 * <p>A value is {@link #offer offered} (or {@link #put put} under a key its reader knows) and only its key travels in
 * a job's closure or result; the reader {@link #find finds} it while the offer stands. Whoever offers a value
 * {@link #withdraw withdraws} it when its job is over. Offered values are shared, never modified.
 */
public final class SameJvmHandoff {
    private static final Map<String, Object> OFFERED = new ConcurrentHashMap<>();

    private SameJvmHandoff() {
    }

    /** Offers {@code value} under a fresh key until {@link #withdraw}; returns the key. */
    public static String offer(Object value) {
        String key = UUID.randomUUID().toString();
        OFFERED.put(key, value);
        return key;
    }

    /** Offers {@code value} under {@code key} (replacing what a retried task may have put there before). */
    public static void put(String key, Object value) {
        OFFERED.put(key, value);
    }

    /** The value offered under {@code key} in this JVM, or null. */
    @SuppressWarnings("unchecked")
    public static <T> T find(String key) {
        return (T) OFFERED.get(key);
    }

    /** Ends the offer. */
    public static void withdraw(String key) {
        OFFERED.remove(key);
    }

    /** How many values are offered now (tests: every job withdraws what it offered). */
    public static int offered() {
        return OFFERED.size();
    }
}
