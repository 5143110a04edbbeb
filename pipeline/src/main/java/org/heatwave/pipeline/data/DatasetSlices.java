package org.heatwave.pipeline.data;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.datasets.IdxReader;
import org.heatwave.datasets.IdxWriter;
import org.heatwave.pipeline.io.AtomicFiles;

/**
 * A dataset of IDX files cut into {@code k} deliveries, as a scheduled retraining receives new data night after night
 * ({@link DataSnapshot}): {@code OUT/slice=01/} … {@code OUT/slice=k/} (zero-padded, so name order is delivery order),
 * each with the four gzipped IDX files of contiguous slices of both splits — slice {@code i} holds records
 * {@code [i·N/k, (i+1)·N/k)} of each. The slices together hold every record once, in the original order. Written
 * whole (a temporary directory renamed into place).
 */
public final class DatasetSlices {
    private DatasetSlices() {
    }

    /** The name of slice {@code i} (0-based) of {@code k}. */
    public static String name(int i, int k) {
        return "slice=" + String.format("%0" + String.valueOf(k).length() + "d", i + 1);
    }

    /**
     * Writes the slices of the IDX files in {@code idxDir} into the new directory {@code out}.
     *
     * @return the slices' directories, in delivery order
     * @throws IllegalArgumentException if a split has fewer records than {@code k}
     */
    public static List<String> write(String idxDir, String out, int k, Configuration conf) throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("--parts must be at least 1, got " + k);
        }
        DatasetFiles.Content train = DatasetFiles.idx(idxDir, true, conf).read(conf);
        DatasetFiles.Content test = DatasetFiles.idx(idxDir, false, conf).read(conf);
        for (DatasetFiles.Content c : List.of(train, test)) {
            if (c.labels().length < k) {
                throw new IllegalArgumentException(c.images().source() + " has " + c.labels().length + " records, fewer"
                        + " than the " + k + " slices asked for");
            }
        }
        Path target = new Path(out);
        FileSystem fs = target.getFileSystem(conf);
        List<String> slices = new ArrayList<>();
        AtomicFiles.writeDirectory(fs, target, (f, tmp) -> {
            for (int i = 0; i < k; i++) {
                Path dir = new Path(tmp, name(i, k));
                writeSlice(f, dir, "train", train, i, k);
                writeSlice(f, dir, "t10k", test, i, k);
            }
        });
        for (int i = 0; i < k; i++) {
            slices.add(new Path(fs.makeQualified(target), name(i, k)).toString());
        }
        return slices;
    }

    private static void writeSlice(FileSystem fs, Path dir, String prefix, DatasetFiles.Content c, int i, int k)
            throws IOException {
        int n = c.labels().length, from = (int) ((long) i * n / k), to = (int) ((long) (i + 1) * n / k);
        IdxReader.Images images = c.images();
        int per = images.rows() * images.cols();
        try (OutputStream o = new GZIPOutputStream(fs.create(new Path(dir, prefix + "-images-idx3-ubyte.gz"), false))) {
            IdxWriter.writeImages(o, to - from, images.rows(), images.cols(),
                    Arrays.copyOfRange(images.data(), from * per, to * per));
        }
        try (OutputStream o = new GZIPOutputStream(fs.create(new Path(dir, prefix + "-labels-idx1-ubyte.gz"), false))) {
            IdxWriter.writeLabels(o, Arrays.copyOfRange(c.labels(), from, to));
        }
    }
}
