package org.heatwave.pipeline.ml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.io.OutputExistsException;

/**
 * Batch prediction (the engine of {@code bin/heatwave predict}): the images of a source classified by a saved model
 * in one distributed job and written as Parquet with the columns {@code source} (the image's file, or
 * {@code record N} of an IDX file), {@code prediction} (the class name), {@code prediction_index} and
 * {@code probabilities} (one per class, in class order). The model is either a saved
 * {@link HeatwaveClassificationModel} or the {@code model/} directory of a {@code bin/heatwave train} run.
 */
public final class BatchPrediction {
    private BatchPrediction() {
    }

    /** What a prediction job did. */
    public record Outcome(long count, double seconds) {
    }

    /**
     * Classifies {@code input} ({@code format}: {@code images}, a directory of PNG/JPEG files searched recursively;
     * {@code idx}, the test split of a directory of IDX files; {@code cifar}, CIFAR-10's {@code test_batch.bin}) with the model in {@code modelDir} and writes the
     * predictions into the new directory {@code output}.
     *
     * @throws OutputExistsException if {@code output} exists (checked before anything runs)
     */
    public static Outcome run(SparkSession spark, String modelDir, String input, String format, String output)
            throws IOException {
        return run(spark, modelDir, input, format, "image", output);
    }

    /**
     * As {@link #run(SparkSession, String, String, String, String)}, also for {@code format} {@code parquet}: a
     * Parquet dataset whose column {@code featuresColumn} holds the images (Spark's image struct, or arrays in the
     * model's shape); {@code source} is then the image's file, or the Parquet file it came from.
     */
    public static Outcome run(SparkSession spark, String modelDir, String input, String format, String featuresColumn,
                              String output) throws IOException {
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(out)) {
            throw new OutputExistsException(output + " exists; predict into a new directory");
        }
        HeatwaveClassificationModel model = HeatwaveClassificationModel.open(spark, modelDir);
        long start = System.nanoTime();
        Dataset<Row> images;
        Column source;
        switch (format) {
            case "images" -> {
                images = spark.read().format("image").option("dropInvalid", false).option("recursiveFileLookup", true)
                        .load(input).withColumnRenamed("image", "features");
                source = org.apache.spark.sql.functions.col("features.origin");
            }
            case "idx" -> {
                images = idxRecords(spark, input, false);
                source = org.apache.spark.sql.functions.col("source");
            }
            case "parquet" -> {
                Dataset<Row> rows = spark.read().parquet(input);
                boolean struct = org.heatwave.pipeline.data.ImageFrames.field(rows.schema(), featuresColumn).dataType()
                        instanceof StructType;
                images = rows.withColumnRenamed(featuresColumn, "features");
                source = struct ? org.apache.spark.sql.functions.col("features.origin")
                        : org.apache.spark.sql.functions.input_file_name();
            }
            case "cifar" -> {
                images = org.heatwave.pipeline.data.CifarFiles.records(spark, input, false);
                source = org.apache.spark.sql.functions.col("source");
            }
            default -> throw new IllegalArgumentException("--input-format must be images, idx, cifar or parquet, got '"
                    + format + "'");
        }
        Column names = org.apache.spark.sql.functions.array(model.classNames().stream()
                .map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
        Dataset<Row> predicted = model.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("features")
                .setPredictionCol("prediction_index").setProbabilityCol("probability").setRawPredictionCol("")
                .transform(images)
                .select(source.as("source"),
                        org.apache.spark.sql.functions.element_at(names,
                                org.apache.spark.sql.functions.col("prediction_index").cast("int").plus(1)).as("prediction"),
                        org.apache.spark.sql.functions.col("prediction_index").cast("int").as("prediction_index"),
                        functions.vector_to_array(org.apache.spark.sql.functions.col("probability"), "float64")
                                .as("probabilities"));
        predicted.write().parquet(output);
        long count = spark.read().parquet(output).count();
        return new Outcome(count, (System.nanoTime() - start) / 1e9);
    }

    /**
     * One split of the IDX files in {@code dir} as {@code source} ({@code <file> record N}), {@code features} (an
     * array of floats in [0, 1], the values training reads) and {@code label}, spread over the default parallelism.
     */
    public static Dataset<Row> idxRecords(SparkSession spark, String dir, boolean train) throws IOException {
        DatasetFiles files = DatasetFiles.idx(dir, train, spark.sparkContext().hadoopConfiguration());
        DatasetFiles.Content c = files.read(spark.sparkContext().hadoopConfiguration());
        int per = c.images().rows() * c.images().cols();
        float[] px = c.images().toFloats(c.count());
        List<Row> rows = new ArrayList<>(c.count());
        for (int i = 0; i < c.count(); i++) {
            rows.add(RowFactory.create(files.images() + " record " + i,
                    java.util.Arrays.copyOfRange(px, i * per, (i + 1) * per), c.labels()[i]));
        }
        StructType schema = new StructType().add("source", DataTypes.StringType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false)).add("label", DataTypes.IntegerType);
        return spark.createDataFrame(rows, schema).repartition(spark.sparkContext().defaultParallelism());
    }
}
