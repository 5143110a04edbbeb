package org.heatwave.pipeline.data;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the driver has already read, handed to the tasks of one job when they run in the driver's JVM (Spark local
 * mode), so that files are read and decoded once instead of once more per partition.
 *
 * <p>The driver {@link #offer offers} a value under a fresh key and captures only the key in the job's closure; a task
 * {@link #find finds} the value if it runs in the same JVM while the offer stands, else (another JVM, or a
 * recomputation after the offer was {@link #withdraw withdrawn}) it reads the files itself. Both ways give the same
 * bytes, so results do not depend on where a task ran. Offered values are shared, never modified.
 */
final class SameJvmHandoff {
    private static final Map<String, Object> OFFERED = new ConcurrentHashMap<>();

    private SameJvmHandoff() {
    }

    /** Offers {@code value} until {@link #withdraw}; returns its key. */
    static String offer(Object value) {
        String key = UUID.randomUUID().toString();
        OFFERED.put(key, value);
        return key;
    }

    /** The value offered under {@code key} in this JVM, or null. */
    static <T> T find(String key, Class<T> type) {
        return type.cast(OFFERED.get(key));
    }

    /** Ends the offer: later tasks read for themselves. */
    static void withdraw(String key) {
        OFFERED.remove(key);
    }
}
