package org.heatwave.pipeline.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.ml.ClassifierEvaluation;
import org.heatwave.pipeline.ml.HeatwaveClassificationModel;
import org.heatwave.pipeline.ml.ImageSource;
import org.heatwave.pipeline.report.ConfusionMatrixFigure;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave evaluate --model DIR [--data NAME:SPLIT | --input URI --input-format FORMAT] [--out DIR]}: a
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

    @Option(names = "--input", paramLabel = "URI", description = "Instead of --data: labelled images in --input-format.")
    String input;

    @Option(names = "--input-format", defaultValue = "image-folder", paramLabel = "FORMAT",
            description = "Format of --input: image-folder (default: URI/test/<class>/…), idx, cifar, parquet or pyramid.")
    String inputFormat;

    @Option(names = "--level", defaultValue = "0", paramLabel = "L", description = "With --input-format pyramid: the level.")
    int level;

    @Option(names = "--train-split", description = "Evaluate the training split of --input instead of its test split.")
    boolean trainSplit;

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
        ImageSource source;
        try {
            source = input == null ? null : ImageSource.of(input, inputFormat).split(trainSplit).level(level)
                    .columns(featuresColumn, labelColumn);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (input == null) {
            Main.requireDataset(spec, parts[0], "--data");
        } else if (inputFormat.equals("images")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--input-format images has no labels to"
                    + " evaluate against: use image-folder (URI/test/<class>/…), idx, cifar, parquet or pyramid");
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
            if (source == null) {
                source = ImageSource.of(DatasetFiles.directory(parts[0], dataPath), "idx").split(parts[1].equals("train"));
            }
            ClassifierEvaluation e;
            try (ImageSource.Opened images = source.open(spark, m)) {
                if (images.label() == null) {
                    throw new IllegalArgumentException(input + " has no column " + labelColumn + " of class indices"
                            + " (--label-column)");
                }
                e = ClassifierEvaluation.of(m.copy(new org.apache.spark.ml.param.ParamMap())
                        .setFeaturesCol(images.features()), images.rows(), images.label());
            }
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
