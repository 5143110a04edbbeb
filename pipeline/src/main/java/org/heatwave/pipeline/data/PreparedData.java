package org.heatwave.pipeline.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.io.OutputExistsException;

/**
 * The splittable form of a gzip IDX dataset, for clusters (issue 14): a gzip stream cannot be split, so
 * without it every executor would read the whole of each file to keep its own records. The IDX files are
 * converted once into level 0 of a {@link DatasetPyramid} (Parquet, records in index order) under
 * {@code data.prepared-dir}, in a directory named after the dataset and a fingerprint of the source files
 * (names, sizes, modification times) — so later runs reuse it, a changed source gets a new one, and
 * concurrent runs that convert the same source at once both end up reading one complete copy. Each task
 * then reads only the Parquet row groups of its own records.
 */
public final class PreparedData {
    private PreparedData() {
    }

    /**
     * The prepared form of dataset {@code dataset} whose IDX files are in {@code sourceDir}, converting it under
     * {@code preparedRoot} (any Hadoop FileSystem URI) if it is not there yet.
     */
    public static DatasetPyramid.Info prepare(JavaSparkContext jsc, String dataset, String sourceDir, String preparedRoot,
                                              int partitions) throws IOException {
        Configuration conf = jsc.hadoopConfiguration();
        String target = new Path(preparedRoot, dataset + "-" + fingerprint(sourceDir, conf)).toString();
        Path metadata = new Path(target, DatasetPyramid.METADATA);
        FileSystem fs = metadata.getFileSystem(conf);
        if (!fs.exists(metadata)) {
            fs.mkdirs(new Path(preparedRoot));
            try {
                DatasetPyramid.build(jsc, dataset, sourceDir, target, 0, partitions);
            } catch (OutputExistsException e) {
                // another run converted the same source meanwhile: theirs is complete (renamed into place whole)
            }
        }
        return DatasetPyramid.info(target, conf);
    }

    /** SHA-256 (16 hex digits) over the names, sizes and modification times of the four IDX files. */
    static String fingerprint(String sourceDir, Configuration conf) throws IOException {
        StringBuilder id = new StringBuilder();
        for (boolean train : new boolean[] {true, false}) {
            DatasetFiles files = DatasetFiles.idx(sourceDir, train, conf);
            for (String f : new String[] {files.images(), files.labels()}) {
                Path p = new Path(f);
                FileStatus s = p.getFileSystem(conf).getFileStatus(p);
                id.append(p.getName()).append(' ').append(s.getLen()).append(' ').append(s.getModificationTime()).append('\n');
            }
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
