package org.heatwave.pipeline.registry;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code halting:}, which stops the whole JVM — {@link Runtime#halt}: no
 * finally block, no shutdown hook, the lock left behind, as {@code kill -9} would — just before the
 * {@code halting.count}-th (default 1st) rename whose target matches the regular expression of the system property
 * {@code halting.at}. Every write heatwave commits is such a rename (a checkpoint, a stored evaluation, a registered
 * version, a decision), so this kills a process inside any phase, at the worst moment. Register with
 * {@code fs.halting.impl} (in a subprocess: {@code -Dspark.hadoop.fs.halting.impl=…}).
 */
public class HaltingFileSystem extends RawLocalFileSystem {
    /** The exit status of a halted process: that of a process killed by SIGKILL. */
    public static final int HALTED = 137;
    private static final AtomicInteger MATCHES = new AtomicInteger();

    @Override
    public URI getUri() {
        return URI.create("halting:///");
    }

    @Override
    public String getScheme() {
        return "halting";
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        String at = System.getProperty("halting.at");
        if (at != null && dst.toUri().getPath().matches(at)
                && MATCHES.incrementAndGet() == Integer.getInteger("halting.count", 1)) {
            System.out.println("halting before renaming " + src + " to " + dst);
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
        return super.rename(src, dst);
    }
}
