package org.heatwave.pipeline.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.ImageFolders;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.ml.BatchPrediction;
import org.heatwave.pipeline.ml.ClassifierEvaluation;
import org.heatwave.pipeline.ml.HeatwaveClassificationModel;
import org.heatwave.pipeline.report.ConfusionMatrixFigure;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave evaluate --model DIR [--data NAME:SPLIT | --input DIR --input-format image-folder] [--out DIR]}: a
 * thin client of {@link ClassifierEvaluation}. Prints one JSON object (accuracy, count, loss, the confusion matrix,
 * each class's recall and precision); with {@code --out}, also writes it as {@code confusion.json} with the figure
 * {@code confusion.png}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model; prints {\"accuracy\": …, \"count\": …, \"loss\": …, \"confusion\": …}.")
final class EvaluateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A run's model/ directory or a saved Spark ML model (any Hadoop FileSystem URI).")
    String model;

    @Option(names = "--data", paramLabel = "NAME:SPLIT", defaultValue = "fashion-mnist:test",
            description = "IDX dataset and split: fashion-mnist:test (default), fashion-mnist:train, mnist:test, mnist:train.")
    String data;

    @Option(names = "--data-path", paramLabel = "DIR", description = "Directory of the IDX files (default: found automatically).")
    String dataPath;

    @Option(names = "--input", paramLabel = "DIR", description = "Instead of --data: class folders of images (DIR/test/<class>/…).")
    String input;

    @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "image-folder",
            description = "Format of --input: image-folder (default), cifar (its test_batch.bin) or parquet.")
    String inputFormat;

    @Option(names = "--features-column", defaultValue = "image", paramLabel = "COLUMN",
            description = "With --input-format parquet: the column of images (image struct, or arrays in the model's shape).")
    String featuresColumn;

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "COLUMN",
            description = "With --input-format parquet: the column of class indices.")
    String labelColumn;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write confusion.json and confusion.png here (a new directory).")
    String out;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        String[] parts = data.split(":", 2);
        if (input == null && (parts.length != 2 || !(parts[1].equals("test") || parts[1].equals("train")))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data must be NAME:test or NAME:train"
                    + " (NAME one of " + String.join(", ", DatasetFiles.NAMES) + "), got '" + data + "'");
        }
        if (input == null) {
            Main.requireDataset(spec, parts[0], "--data");
        } else if (!java.util.List.of("image-folder", "cifar", "parquet").contains(inputFormat)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--input-format must be image-folder,"
                    + " cifar or parquet, got '" + inputFormat + "'");
        }
        if (out != null) {
            Path o = new Path(out);
            if (o.getFileSystem(SparkContexts.hadoopConfiguration()).exists(o)) {
                throw new OutputExistsException(out + " exists; write the evaluation into a new directory");
            }
        }
        try (JavaSparkContext jsc = SparkContexts.create("heatwave evaluate", master)) {
            SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
            HeatwaveClassificationModel m = HeatwaveClassificationModel.open(spark, model);
            Dataset<Row> labelled;
            String features;
            String label = "label";
            if (input == null) {
                labelled = BatchPrediction.idxRecords(spark, DatasetFiles.directory(parts[0], dataPath), parts[1].equals("train"));
                features = "features";
            } else if (inputFormat.equals("parquet")) {
                labelled = spark.read().parquet(input);
                features = featuresColumn;
                label = labelColumn;
            } else if (inputFormat.equals("cifar")) {
                labelled = org.heatwave.pipeline.data.CifarFiles.records(spark, input, false);
                features = "features";
            } else {
                ImageFolders.requireKnownClasses(input, false, m.classNames(), jsc.hadoopConfiguration());
                labelled = ImageFolders.read(spark, input, false, m.classNames(), 0).rows();
                features = ImageFolders.IMAGE;
            }
            ClassifierEvaluation e = ClassifierEvaluation.of(m.copy(new org.apache.spark.ml.param.ParamMap())
                    .setFeaturesCol(features), labelled, label);
            String json = Json.MAPPER.writeValueAsString(e.json());
            if (out != null) {
                Path o = new Path(out);
                FileSystem fs = o.getFileSystem(jsc.hadoopConfiguration());
                fs.mkdirs(o);
                AtomicFiles.writeText(fs, new Path(o, "confusion.json"), Json.PRETTY.writeValueAsString(e.json()) + "\n");
                AtomicFiles.writeBytesAtomically(fs, new Path(o, "confusion.png"), ConfusionMatrixFigure.png(e.classNames(),
                        e.confusion(), String.format(java.util.Locale.ROOT, "%s · accuracy %.2f %%",
                                input == null ? data : input, 100 * e.accuracy())));
            }
            System.out.println(json);
        }
        return 0;
    }
}
