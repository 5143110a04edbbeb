package org.heatwave.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny learnable dataset in the Fashion-MNIST file layout, written by tests: {@code size × size}
 * images of noise with one to three bright bars at random positions; the label is the orientation
 * (0 horizontal, 1 vertical; the other eight of the ten classes stay empty). Translation invariant, as a
 * periodic network with global pooling needs, and learnable in a few steps. Written as gzipped IDX files.
 */
public final class TinyDataset {
    private TinyDataset() {
    }

    /** Writes the four files into {@code dir} and returns it. */
    public static Path write(Path dir, int train, int test, int size, long seed) throws IOException {
        return write(dir, train, test, size, seed, 2);
    }

    /**
     * As {@link #write(Path, int, int, int, long)} with labels drawn from {@code 0…classes−1} (even labels horizontal
     * bars, odd ones vertical).
     */
    public static Path write(Path dir, int train, int test, int size, long seed, int classes) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(seed);
        writeSplit(dir, "train", train, size, r, classes);
        writeSplit(dir, "t10k", test, size, r, classes);
        return dir;
    }

    private static void writeSplit(Path dir, String prefix, int n, int size, SplittableRandom r, int classes)
            throws IOException {
        byte[] pixels = new byte[n * size * size];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(classes);
            labels[i] = (byte) label;
            boolean[] bar = new boolean[size];
            for (int placed = 0, bars = 1 + r.nextInt(3); placed < bars; ) {
                int at = r.nextInt(size);
                if (!bar[at]) {
                    bar[at] = true;
                    placed++;
                }
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = 40 * r.nextDouble();
                    if (label % 2 == 0 ? bar[y] : bar[x]) {
                        v += 200;
                    }
                    pixels[(i * size + y) * size + x] = (byte) Math.min(255, (int) v);
                }
            }
        }
        gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"), imagesFile(n, size, size, pixels));
        gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labelsFile(labels));
    }

    /** An IDX image file's bytes with the given header fields. */
    public static byte[] imagesFile(int n, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
        return b.toByteArray();
    }

    /** An IDX label file's bytes. */
    public static byte[] labelsFile(byte[] labels) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            out.write(labels);
        }
        return b.toByteArray();
    }

    /** Writes {@code content} gzipped to {@code file}. */
    public static void gz(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }
}
