package org.heatwave.pipeline.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes through the Hadoop FileSystem API that never leave a half-written file or directory behind:
 * content goes to a temporary sibling name first and is renamed into place (atomic on HDFS and local
 * file systems).
 */
public final class AtomicFiles {
    private static final String TMP = ".tmp-";
    private AtomicFiles() {
    }

    /** What a writer puts into a temporary directory before it is renamed into place. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(FileSystem fs, Path tmpDir) throws IOException;
    }

    /** A temporary sibling of {@code target}. */
    public static Path temporarySibling(Path target) {
        return new Path(target.getParent(), "." + target.getName() + TMP + UUID.randomUUID());
    }

    /** Whether {@code p} is a temporary sibling ({@link #temporarySibling}): an unfinished write, never content. */
    public static boolean isTemporary(Path p) {
        return p.getName().startsWith(".") && p.getName().contains(TMP);
    }

    /**
     * Writes a directory atomically: {@code writer} fills a temporary sibling, which is then renamed to
     * {@code target}. Refuses to replace an existing {@code target} ({@link OutputExistsException}, also when
     * another writer renamed theirs into place first); on failure the temporary directory is removed and
     * nothing is left at {@code target}.
     */
    public static void writeDirectory(FileSystem fs, Path target, DirectoryWriter writer) throws IOException {
        if (fs.exists(target)) {
            throw new OutputExistsException(target + " already exists; refusing to overwrite it");
        }
        Path tmp = temporarySibling(target);
        try {
            if (!fs.mkdirs(tmp)) {
                throw new IOException("cannot create " + tmp);
            }
            writer.write(fs, tmp);
            if (!fs.rename(tmp, target)) {
                if (fs.exists(target)) {
                    throw new OutputExistsException(target + " was created by another writer meanwhile");
                }
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, true);
            throw e;
        }
    }

    /** Writes (or replaces) a small text file atomically. */
    public static void writeText(FileSystem fs, Path target, String text) throws IOException {
        writeBytesAtomically(fs, target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes (or replaces) a small file atomically. */
    public static void writeBytesAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = temporarySibling(target);
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
    }

    /** Writes bytes to a new file (inside a temporary directory, so plain creation suffices). */
    public static void writeBytes(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            out.write(bytes);
        }
    }
}
