package org.heatwave.pipeline.ml;

import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.heatwave.pipeline.data.CifarFiles;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageFolders;
import org.heatwave.pipeline.data.ImageFrames;

/**
 * Where {@code predict} and {@code evaluate} read images: every format training reads, one split of it, as a
 * DataFrame a {@link HeatwaveClassificationModel} transforms. Formats ({@code uri} is a Hadoop FileSystem URI):
 * <ul>
 *   <li>{@code images}: PNG/JPEG files under {@code uri}, searched recursively, without labels;</li>
 *   <li>{@code image-folder}: class folders {@code uri/test/<class>/…} (or {@code train/});</li>
 *   <li>{@code idx}: the IDX files in {@code uri}, one split;</li>
 *   <li>{@code cifar}: CIFAR-10's binary files in {@code uri}, one split;</li>
 *   <li>{@code parquet}: the Parquet dataset {@code uri} with {@code featuresColumn} (image struct or arrays) and
 *       {@code labelColumn};</li>
 *   <li>{@code pyramid}: level {@code level} of one split of the dataset pyramid at {@code uri}.</li>
 * </ul>
 * IDX files and pyramids are read by the executors, each its own records, with the same checks as training.
 *
 * @param train read the training split instead of the test split (formats that have splits)
 */
public record ImageSource(String uri, String format, boolean train, int level, String featuresColumn,
                          String labelColumn) {
    /** The formats, as {@code --input-format} takes them. */
    public static final List<String> FORMATS = List.of("images", "image-folder", "idx", "cifar", "parquet", "pyramid");

    public ImageSource {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("--input-format must be one of " + String.join(", ", FORMATS) + ", got '"
                    + format + "'");
        }
        if (level < 0 || level > 0 && !format.equals("pyramid")) {
            throw new IllegalArgumentException("--level " + level + ": levels are those of a pyramid (--input-format"
                    + " pyramid), from 0");
        }
    }

    /** The test split of {@code uri} in {@code format}, level 0, columns {@code image} and {@code label}. */
    public static ImageSource of(String uri, String format) {
        return new ImageSource(uri, format, false, 0, ImageFolders.IMAGE, ImageFolders.LABEL);
    }

    /** The same source, its training split ({@code true}) or test split. */
    public ImageSource split(boolean trainSplit) {
        return new ImageSource(uri, format, trainSplit, level, featuresColumn, labelColumn);
    }

    /** The same pyramid, level {@code l}. */
    public ImageSource level(int l) {
        return new ImageSource(uri, format, train, l, featuresColumn, labelColumn);
    }

    /** The same Parquet source with these columns. */
    public ImageSource columns(String features, String label) {
        return new ImageSource(uri, format, train, level, features, label);
    }

    /**
     * The images, opened.
     *
     * @param rows     the records, in the source's order where it has one
     * @param source   the column that names each record (its file, or {@code "<file> record i"})
     * @param features the column of images
     * @param label    the column of class indices, or null if the source has no labels
     */
    public record Opened(Dataset<Row> rows, Column source, String features, String label, DistributedDataset cached)
            implements AutoCloseable {
        /** Releases the cached blocks of IDX files and pyramids. */
        @Override
        public void close() {
            if (cached != null) {
                cached.close();
            }
        }
    }

    /**
     * Opens the source for {@code model}: class folders must be among its classes, and IDX files and pyramid levels
     * must hold images of its input shape (refused naming both shapes before anything runs).
     */
    public Opened open(SparkSession spark, HeatwaveClassificationModel model) throws IOException {
        Opened opened = open(spark, model.classNames());
        DistributedDataset d = opened.cached();
        var spec = model.spec();
        if (d != null && (d.channels() != spec.channels() || d.height() != spec.height() || d.width() != spec.width())) {
            opened.close();
            throw new IllegalArgumentException(uri + (format.equals("pyramid") ? " level " + level : "") + " holds "
                    + d.channels() + "x" + d.height() + "x" + d.width() + " images; the model takes " + spec.channels()
                    + "x" + spec.height() + "x" + spec.width() + (format.equals("pyramid")
                    ? " (choose the level of that size with --level)" : ""));
        }
        return opened;
    }

    /** Opens the source for a model with these class names (class folders must be among them). */
    public Opened open(SparkSession spark, List<String> classNames) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parallelism = jsc.defaultParallelism();
        switch (format) {
            case "images" -> {
                Dataset<Row> rows = spark.read().format("image").option("dropInvalid", false)
                        .option("recursiveFileLookup", true).load(uri);
                return new Opened(rows, functions.col(ImageFolders.IMAGE + ".origin"), ImageFolders.IMAGE, null, null);
            }
            case "image-folder" -> {
                ImageFolders.requireKnownClasses(uri, train, classNames, jsc.hadoopConfiguration());
                Dataset<Row> rows = ImageFolders.read(spark, uri, train, classNames, 0).rows();
                return new Opened(rows, functions.col(ImageFolders.IMAGE + ".origin"), ImageFolders.IMAGE,
                        ImageFolders.LABEL, null);
            }
            case "idx" -> {
                DatasetFiles files = DatasetFiles.idx(uri, train, jsc.hadoopConfiguration());
                DistributedDataset d = DistributedDataset.load(jsc, files, 0, parallelism, parallelism,
                        "load " + files.images());
                return records(spark, d, files.images());
            }
            case "pyramid" -> {
                DatasetPyramid.Info info = DatasetPyramid.info(uri, jsc.hadoopConfiguration());
                DistributedDataset d = DatasetPyramid.load(jsc, info, train, level, 0, parallelism, parallelism);
                return records(spark, d, info.directory(train, level));
            }
            case "cifar" -> {
                return new Opened(CifarFiles.records(spark, uri, train), functions.col("source"), "features", "label",
                        null);
            }
            default -> { // parquet
                Dataset<Row> rows = spark.read().parquet(uri);
                boolean struct = ImageFrames.field(rows.schema(), featuresColumn).dataType() instanceof StructType;
                Column source = struct ? functions.col(featuresColumn + ".origin") : functions.input_file_name();
                boolean labelled = java.util.Arrays.asList(rows.columns()).contains(labelColumn);
                return new Opened(rows, source, featuresColumn, labelled ? labelColumn : null, null);
            }
        }
    }

    private static Opened records(SparkSession spark, DistributedDataset d, String what) {
        return new Opened(d.records(spark, what), functions.col("source"), "features", "label", d);
    }
}
