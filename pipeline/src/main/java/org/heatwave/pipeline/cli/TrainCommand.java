package org.heatwave.pipeline.cli;

import java.io.File;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heatwave train --config FILE [--out DIR] [--set key=value …]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network; writes model/, metrics.jsonl, summary.json and config.conf into the run directory.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON run configuration (keys: reference.conf).")
    File config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory, any Hadoop FileSystem URI (default: runs/<time>-<config name>).")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(config, overrides);
        String runDir = out != null ? out : defaultRunDir();
        try (JavaSparkContext jsc = SparkContexts.create("heatwave train", settings.sparkMaster())) {
            if (settings.multilevelLevels().length > 0) {
                new org.heatwave.pipeline.train.MultilevelTraining(settings, System.out).run(jsc, runDir);
            } else {
                new Trainer(settings, System.out).run(jsc, runDir);
            }
        }
        return 0;
    }

    private String defaultRunDir() {
        String name = config == null ? "defaults" : config.getName().replaceFirst("\\.conf$", "");
        return "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name;
    }
}
