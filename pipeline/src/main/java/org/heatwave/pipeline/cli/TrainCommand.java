package org.heatwave.pipeline.cli;

import org.heatwave.pipeline.config.Keys;
import java.io.File;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.train.MultilevelTraining;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code heatwave train --config FILE [--out DIR] [--set key=value …]} and {@code heatwave train --resume RUN}.
 * Everything that can be checked before Spark starts is: the configuration (every key) and that the run
 * directory does not exist yet.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network; writes model/, metrics.jsonl, summary.json, config.conf, checkpoints/ and, last,"
                + " _SUCCESS into the run directory. --resume RUN continues an unfinished run from its newest checkpoint.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON run configuration (keys: bin/heatwave settings): a local file or any Hadoop FileSystem URI"
                    + " (hdfs://…, s3a://…), as a driver on a cluster reads it.")
    String config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory to create, any Hadoop FileSystem URI (default: runs/<time>-<config name>); must not exist.")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN",
            description = "Continue the unfinished run RUN with its own configuration (a finished run: nothing to do).")
    String resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            if (config != null || out != null || !overrides.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--resume takes the run's own configuration: no --config,"
                        + " --out or --set with it");
            }
            return resume();
        }
        Settings settings = settings();
        Trainer.requireReadableData(settings, SparkContexts.master(settings.get(Keys.SPARK_MASTER)));
        String runDir = out != null ? out : defaultRunDir();
        Trainer.requireNewRunDirectory(runDir, SparkContexts.hadoopConfiguration());
        train(settings, runDir, false);
        return ExitCodes.OK;
    }

    /** Trains a new run into {@code runDir}, or continues the one there: a multilevel schedule or a single run. */
    private static void train(Settings settings, String runDir, boolean resume) throws IOException {
        try (JavaSparkContext jsc = SparkContexts.create(resume ? "heatwave train --resume" : "heatwave train",
                settings.get(Keys.SPARK_MASTER))) {
            if (settings.ints(Keys.MULTILEVEL_LEVELS).length > 0) {
                MultilevelTraining schedule = new MultilevelTraining(settings, System.out);
                if (resume) {
                    schedule.resume(jsc, runDir);
                } else {
                    schedule.run(jsc, runDir);
                }
            } else if (resume) {
                new Trainer(settings, System.out).resume(jsc, runDir);
            } else {
                new Trainer(settings, System.out).run(jsc, runDir);
            }
        }
    }

    private Settings settings() throws IOException {
        return settings(config, overrides);
    }

    /** The configuration: {@code config} from a local file or a FileSystem URI (null: defaults), with the overrides. */
    static Settings settings(String config, List<String> overrides) throws IOException {
        if (config == null || !config.matches("[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
            return Settings.load(config == null ? null : new File(config), overrides);
        }
        Path file = new Path(config);
        try (var in = file.getFileSystem(SparkContexts.hadoopConfiguration()).open(file)) {
            return Settings.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), config, overrides);
        }
    }

    private int resume() throws IOException {
        Configuration hadoop = SparkContexts.hadoopConfiguration();
        Settings settings = Trainer.settingsOf(resume, hadoop);
        if (Trainer.isFinished(resume, hadoop)) {
            System.out.println(resume + " is a finished run: nothing to resume");
            return ExitCodes.OK;
        }
        train(settings, resume, true);
        return ExitCodes.OK;
    }

    private String defaultRunDir() {
        String name = config == null ? "defaults" : new Path(config).getName().replaceFirst("\\.conf$", "");
        return "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name;
    }
}
