package org.heatwave.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files in the published byte layout for tests. */
final class IdxFixtures {

    private IdxFixtures() {
    }

    /** An image file header followed by {@code data}; the header may lie about the sizes. */
    static byte[] images(int magic, int count, int rows, int cols, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putInt(magic).putInt(count).putInt(rows).putInt(cols)
                .put(data).array();
    }

    /** A well-formed image file. */
    static byte[] images(int count, int rows, int cols, byte[] data) {
        return images(IdxReader.IMAGES_MAGIC, count, rows, cols, data);
    }

    /** A label file header followed by {@code labels}; the header may lie about the count. */
    static byte[] labels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    /** A well-formed label file. */
    static byte[] labels(byte[] labels) {
        return labels(IdxReader.LABELS_MAGIC, labels.length, labels);
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] randomLabels(Random random, int n, int numClasses) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(numClasses);
        }
        return b;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Serves {@code content} but fails the test if anything past the first {@code allowed} bytes is read. */
    static InputStream guarded(byte[] content, int allowed) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                check(1);
                return pos < content.length ? content[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                check(len);
                if (pos >= content.length) {
                    return -1;
                }
                int n = Math.min(len, Math.min(content.length, allowed) - pos);
                System.arraycopy(content, pos, b, off, n);
                pos += n;
                return n;
            }

            private void check(int len) {
                if (pos >= allowed) {
                    throw new AssertionError("read past byte " + allowed + " (asked for " + len + " more)");
                }
            }
        };
    }

    /** An executable {@code /bin/sh} script {@code dir/bin/name} running {@code body}: a fake package client. */
    static Path script(Path dir, String name, String body) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh for the fake commands");
        Path path = dir.resolve("bin").resolve(name);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
