package org.heatwave.pipeline.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.heatwave.pipeline.ml.BatchPrediction;
import org.heatwave.pipeline.ml.ImageSource;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave predict --model DIR --input URI --output URI}: a thin client of
 * {@link BatchPrediction} — the images under {@code --input} classified by a saved model as one distributed job,
 * written as Parquet.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images with a saved model; writes Parquet (source, prediction, prediction_index,"
                + " probabilities).")
final class PredictCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model: a run's model/ directory, or a saved HeatwaveClassificationModel (any Hadoop FileSystem URI).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "Images to classify: a directory of PNG/JPEG files (searched recursively), or the data of"
                    + " --input-format (its test split).")
    String input;

    @Option(names = "--input-format", defaultValue = "images", paramLabel = "FORMAT",
            description = "images (default), image-folder, idx, cifar, parquet or pyramid.")
    String inputFormat;

    @Option(names = "--level", defaultValue = "0", paramLabel = "L", description = "With --input-format pyramid: the level.")
    int level;

    @Option(names = "--features-column", defaultValue = "image", paramLabel = "COLUMN",
            description = "With --input-format parquet: the column of images (image struct, or arrays in the model's shape).")
    String featuresColumn;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Where the Parquet goes (must not exist).")
    String output;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        try {
            ImageSource.of(input, inputFormat).level(level); // checked before Spark starts
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (var jsc = SparkContexts.create("heatwave predict", master)) {
            SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
            BatchPrediction.Outcome o = BatchPrediction.run(spark, model,
                    ImageSource.of(input, inputFormat).level(level).columns(featuresColumn, "label"), output);
            System.out.printf("%s: %d images classified in %.1f s (%.0f images/s)%n", output, o.count(), o.seconds(),
                    o.count() / Math.max(o.seconds(), 1e-9));
        }
        return 0;
    }
}
