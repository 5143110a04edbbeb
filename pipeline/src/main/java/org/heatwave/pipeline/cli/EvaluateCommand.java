package org.heatwave.pipeline.cli;

import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.loss.LossResult;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heatwave evaluate --model DIR [--data fashion-mnist:test]}: prints one JSON object. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model; prints {\"accuracy\": …, \"count\": …, \"loss\": …}.")
final class EvaluateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (any Hadoop FileSystem URI).")
    String model;

    @Option(names = "--data", paramLabel = "NAME:SPLIT", defaultValue = "fashion-mnist:test",
            description = "Dataset and split: fashion-mnist:test (default), fashion-mnist:train, mnist:test, mnist:train.")
    String data;

    @Option(names = "--data-path", paramLabel = "DIR", description = "Directory of the IDX files (default: found automatically).")
    String dataPath;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default local[*]).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions (0 = Spark's default parallelism).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        String[] parts = data.split(":", 2);
        if (parts.length != 2 || !(parts[1].equals("test") || parts[1].equals("train"))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data must be NAME:test or NAME:train"
                    + " (NAME one of " + String.join(", ", DatasetFiles.NAMES) + "), got '" + data + "'");
        }
        Main.requireDataset(spec, parts[0], "--data");
        boolean train = parts[1].equals("train");
        String dir = DatasetFiles.directory(parts[0], dataPath);
        try (JavaSparkContext jsc = SparkContexts.create("heatwave evaluate", master)) {
            ModelIO.SavedModel saved = ModelIO.load(model, jsc.hadoopConfiguration());
            int p = partitions == 0 ? jsc.defaultParallelism() : partitions;
            try (DistributedDataset ds = DistributedDataset.load(jsc, DatasetFiles.idx(dir, train, jsc.hadoopConfiguration()),
                    0, p, p, "load " + data)) {
                if (ds.height() != saved.spec().height() || ds.width() != saved.spec().width()) {
                    throw new IllegalArgumentException("model expects " + saved.spec().height() + "x" + saved.spec().width()
                            + " images but " + data + " has " + ds.height() + "x" + ds.width());
                }
                LossResult r = new DistributedObjective(jsc, saved.spec()).evaluate(ds, saved.params(), "evaluate " + data);
                System.out.println(Json.MAPPER.writeValueAsString(Json.object()
                        .put("accuracy", r.accuracy()).put("count", r.count()).put("loss", r.meanLoss())));
            }
        }
        return 0;
    }
}
