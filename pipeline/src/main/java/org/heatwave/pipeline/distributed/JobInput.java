package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.heatwave.pipeline.io.SameJvmHandoff;

/**
 * A value the driver hands to the tasks of a job — θ, a direction, the requested example indices — captured in the
 * job's closure. On a cluster it is a Spark broadcast: serialised and compressed once on the driver, fetched and
 * decoded once per executor. In local mode the tasks run in the driver's JVM, so it is handed over by reference
 * ({@link SameJvmHandoff}) and only its key is serialised with the closure: no copy, no compression, no block-manager
 * round trip (≈ 4 ms a training step for θ's 149,402 doubles, BENCHMARKS.md). Tasks read the same values either way, so
 * results do not depend on the mode.
 *
 * <p>The driver must not modify the value until it has {@link #close closed} the input, which it does when the last
 * job or cache that reads it is done.
 */
public final class JobInput<T> implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;
    /** The broadcast (cluster), or null. */
    private final Broadcast<T> broadcast;
    /** The handoff key (local mode), or null. */
    private final String key;

    private JobInput(Broadcast<T> broadcast, String key) {
        this.broadcast = broadcast;
        this.key = key;
    }

    /** {@code value} for the tasks of the jobs of {@code jsc}: by reference in local mode, else broadcast. */
    public static <T> JobInput<T> of(JavaSparkContext jsc, T value) {
        return jsc.sc().isLocal() ? new JobInput<>(null, SameJvmHandoff.offer(value))
                : new JobInput<>(jsc.broadcast(value), null);
    }

    /** The value, in a task (or on the driver). */
    public T value() {
        if (broadcast != null) {
            return broadcast.value();
        }
        T value = SameJvmHandoff.find(key);
        if (value == null) {
            throw new IllegalStateException("a task read a job input after its job closed it (" + key
                    + "): inputs handed over by reference live only as long as the job or cache that reads them");
        }
        return value;
    }

    /** Releases the value: the broadcast's blocks, or the reference. */
    @Override
    public void close() {
        if (broadcast != null) {
            broadcast.destroy();
        } else {
            SameJvmHandoff.withdraw(key);
        }
    }
}
