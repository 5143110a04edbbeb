package org.heatwave.pipeline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.registry.Retraining;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave retrain --registry URI --config FILE [--set key=value …]}: a thin client of {@link Retraining} for
 * schedulers. Prints progress, then one JSON line, last: {@code {"decision": "promoted" | "kept" | "unchanged",
 * "champion": N, "challenger": M | null, "reasons": […], "report": …}}. Exit codes: 0 a decision was made (promoted,
 * kept or unchanged), 65 the data were refused (their checks failed; the decision says why), 75 the registry is
 * locked by a live run or the data changed while they were read (retry later), 78 a bad configuration, 1 anything
 * else.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Scheduled retraining: snapshot data.path, warm-start from the registry's champion, train, evaluate"
                + " both on the same held-out set, register the challenger, promote it only through the gates; prints"
                + " the decision as one JSON line, last. Exit 0 decided, 65 data refused, 75 locked (retry later).")
final class RetrainCommand implements Callable<Integer> {

    @Option(names = "--registry", required = true, paramLabel = "URI",
            description = "The model registry (any Hadoop FileSystem URI); created on the first run.")
    String registry;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "HOCON configuration (keys: bin/heatwave settings); data.path is where the new data arrive.")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Settings settings = TrainCommand.settings(config, overrides);
        Retraining retraining = new Retraining(settings, System.out);
        String master = settings.get(Keys.SPARK_MASTER);
        Trainer.requireReadableData(settings, SparkContexts.master(master));
        JavaSparkContext[] started = new JavaSparkContext[1];
        try {
            Retraining.Outcome outcome = retraining.run(registry, SparkContexts.hadoopConfiguration(),
                    () -> started[0] = SparkContexts.create("heatwave retrain", master));
            System.out.println(Json.MAPPER.writeValueAsString(outcome.decision().summary()));
            return outcome.refused() ? ExitCodes.DATA_ERROR : ExitCodes.OK;
        } finally {
            if (started[0] != null) {
                started[0].close();
            }
        }
    }
}
