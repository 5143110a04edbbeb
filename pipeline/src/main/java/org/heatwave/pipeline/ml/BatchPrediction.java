package org.heatwave.pipeline.ml;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
     * Classifies the test split of {@code input} in {@code format} ({@link ImageSource}) with the model in
     * {@code modelDir} and writes the predictions into the new directory {@code output}.
     *
     * @throws OutputExistsException if {@code output} exists (checked before anything runs)
     */
    public static Outcome run(SparkSession spark, String modelDir, String input, String format, String output)
            throws IOException {
        return run(spark, modelDir, ImageSource.of(input, format), output);
    }

    /**
     * Classifies the images of {@code input} with the model in {@code modelDir} and writes the predictions into the
     * new directory {@code output}; {@code source} is the image's file, or its record in the file it came from.
     *
     * @throws OutputExistsException if {@code output} exists (checked before anything runs)
     */
    public static Outcome run(SparkSession spark, String modelDir, ImageSource input, String output) throws IOException {
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(out)) {
            throw new OutputExistsException(output + " exists; predict into a new directory");
        }
        HeatwaveClassificationModel model = HeatwaveClassificationModel.open(spark, modelDir);
        long start = System.nanoTime();
        try (ImageSource.Opened images = input.open(spark, model)) {
            write(model, images, output);
        }
        return new Outcome(rowsWritten(fs, out), (System.nanoTime() - start) / 1e9);
    }

    /** The rows of the Parquet files in {@code dir}, from their footers (no Spark job reads them back). */
    private static long rowsWritten(FileSystem fs, Path dir) throws IOException {
        long rows = 0;
        for (FileStatus file : fs.listStatus(dir, p -> p.getName().endsWith(".parquet"))) {
            try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromStatus(file, fs.getConf()))) {
                rows += footer.getRecordCount();
            }
        }
        return rows;
    }

    private static void write(HeatwaveClassificationModel model, ImageSource.Opened images, String output) {
        Column names = org.apache.spark.sql.functions.array(model.classNames().stream()
                .map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
        Dataset<Row> predicted = model.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol(images.features())
                .setPredictionCol("prediction_index").setProbabilityCol("probability").setRawPredictionCol("")
                .transform(images.rows())
                .select(images.source().as("source"),
                        org.apache.spark.sql.functions.element_at(names,
                                org.apache.spark.sql.functions.col("prediction_index").cast("int").plus(1)).as("prediction"),
                        org.apache.spark.sql.functions.col("prediction_index").cast("int").as("prediction_index"),
                        functions.vector_to_array(org.apache.spark.sql.functions.col("probability"), "float64")
                                .as("probabilities"));
        predicted.write().parquet(output);
    }
}
