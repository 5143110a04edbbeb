package org.heatwave.pipeline.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code faulty:}, whose {@link #failCheckpointWrite n-th checkpoint
 * write} fails half-way, as a full disk or a lost datanode would: the stream takes some bytes, then every
 * write and the close throw. Register with {@code fs.faulty.impl}.
 */
public class FaultyFileSystem extends RawLocalFileSystem {
    /** Checkpoint files created so far. */
    static final AtomicInteger CHECKPOINT_WRITES = new AtomicInteger();
    /** The checkpoint write (1-based) that fails; 0 = none. */
    static volatile int failCheckpointWrite;

    @Override
    public URI getUri() {
        return URI.create("faulty:///");
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        return faulty(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return faulty(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    private static FSDataOutputStream faulty(Path f, FSDataOutputStream real) {
        if (f.getName().startsWith(".step-") && CHECKPOINT_WRITES.incrementAndGet() == failCheckpointWrite) {
            return new FSDataOutputStream(new FailingHalfWay(real), null);
        }
        return real;
    }

    /** Passes the first bytes on, then fails every write and the close. */
    private static final class FailingHalfWay extends OutputStream {
        private final OutputStream real;
        private long written;

        FailingHalfWay(OutputStream real) {
            this.real = real;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > 1000) {
                real.write(b, off, (int) Math.max(0, 1000 - written));
                written = 1000;
                throw new IOException("injected: no space left on the device");
            }
            real.write(b, off, len);
            written += len;
        }

        @Override
        public void close() throws IOException {
            real.close();
            throw new IOException("injected: no space left on the device");
        }
    }
}
