package org.heatwave.pipeline.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * The CIFAR-10 binary format ({@code data.format = cifar}): {@code data_batch_1.bin} … {@code data_batch_5.bin}
 * (training) and {@code test_batch.bin} (test) in one directory, each a sequence of 3,073-byte records: the label
 * byte (0–9), then a 32×32 image as 1,024 red, 1,024 green and 1,024 blue bytes, row-major. Read as fixed-length
 * records ({@code binaryRecords}: each task reads only its own), scaled to [0, 1] as {@code byte / 255}, channels
 * first; records numbered in file order. The class names come from {@code batches.meta.txt} when it is there.
 */
public final class CifarFiles {
    /** Bytes per record: label, then 3 × 32 × 32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** CIFAR-10's classes, in label order. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private CifarFiles() {
    }

    /** The files of one split, in order; an error names what is missing or malformed. */
    public static List<Path> files(String dir, boolean train, Configuration conf) throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int i = 1; fs.exists(new Path(root, "data_batch_" + i + ".bin")); i++) {
                files.add(new Path(root, "data_batch_" + i + ".bin"));
            }
        } else if (fs.exists(new Path(root, "test_batch.bin"))) {
            files.add(new Path(root, "test_batch.bin"));
        }
        if (files.isEmpty()) {
            throw new java.io.FileNotFoundException(dir + " has no " + (train ? "data_batch_1.bin" : "test_batch.bin")
                    + " (data.format = cifar expects CIFAR-10's binary files)");
        }
        for (Path f : files) {
            FileStatus s = fs.getFileStatus(f);
            if (s.getLen() == 0 || s.getLen() % RECORD != 0) {
                throw new IOException(f + ": " + s.getLen() + " bytes is not a whole number of " + RECORD + "-byte records"
                        + " (truncated, or not CIFAR-10's binary format)");
            }
        }
        return files;
    }

    /** The class names: {@code batches.meta.txt}'s lines if present (10 of them), else CIFAR-10's. */
    public static List<String> classes(String dir, Configuration conf) throws IOException {
        Path meta = new Path(dir, "batches.meta.txt");
        FileSystem fs = meta.getFileSystem(conf);
        if (!fs.exists(meta)) {
            return CLASSES;
        }
        List<String> names = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(meta),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        }
        if (names.size() != 10) {
            throw new IOException(meta + ": " + names.size() + " class names, CIFAR-10 has 10");
        }
        return names;
    }

    /** One split loaded into cached shards. */
    public static DistributedDataset load(JavaSparkContext jsc, String dir, boolean train, int limit, int shards,
                                          int partitions) throws IOException {
        List<Path> files = files(dir, train, jsc.hadoopConfiguration());
        long total = 0;
        for (Path f : files) {
            total += f.getFileSystem(jsc.hadoopConfiguration()).getFileStatus(f).getLen() / RECORD;
        }
        long n = limit == 0 ? total : Math.min(limit, total);
        String paths = String.join(",", files.stream().map(Path::toString).toList());
        JavaRDD<byte[]> records = jsc.binaryRecords(paths, RECORD);
        String where = (train ? "CIFAR-10 training" : "CIFAR-10 test") + " record ";
        JavaPairRDD<Integer, Row> numbered = records.zipWithIndex().filter(t -> t._2() < n)
                .mapToPair(t -> new Tuple2<>((int) (long) t._2(), row(t._1(), where + t._2())));
        ImageFrames.Input input = new ImageFrames.Input(false, 3, 32, 32);
        return ImageFrames.shardRows(jsc, numbered, n, "load " + dir, input, 10, shards, partitions);
    }

    /**
     * One split as a DataFrame of {@code source} ({@code CIFAR-10 test record N}), {@code features} (3×32×32 floats,
     * channels first) and {@code label}, for prediction and evaluation.
     */
    public static org.apache.spark.sql.Dataset<Row> records(org.apache.spark.sql.SparkSession spark, String dir,
                                                             boolean train) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Path> files = files(dir, train, jsc.hadoopConfiguration());
        String where = (train ? "CIFAR-10 training" : "CIFAR-10 test") + " record ";
        JavaRDD<Row> rows = jsc.binaryRecords(String.join(",", files.stream().map(Path::toString).toList()), RECORD)
                .zipWithIndex().map(t -> {
                    Row r = row(t._1(), where + t._2());
                    return RowFactory.create(r.get(2), r.get(0), r.get(1));
                });
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("source", org.apache.spark.sql.types.DataTypes.StringType)
                .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(
                        org.apache.spark.sql.types.DataTypes.FloatType, false))
                .add("label", org.apache.spark.sql.types.DataTypes.IntegerType);
        return spark.createDataFrame(rows, schema);
    }

    /** A record as {@code (pixels, label, origin)}: channels first, as the file stores them. */
    private static Row row(byte[] record, String origin) {
        float[] pixels = new float[RECORD - 1];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (record[i + 1] & 0xff) / 255f;
        }
        return RowFactory.create(pixels, (int) (record[0] & 0xff), origin);
    }
}
