package org.heatwave.pipeline.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave settings}: every configuration key with its default, what it allows and its doc, as HOCON (or the
 * README's Markdown table); with {@code --config}/{@code --set}, the resolved configuration after checking it —
 * the same checks {@code train} makes before Spark starts.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "List every configuration key with its default and meaning, or check and print a resolved configuration.")
final class SettingsCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "The key table of the README (Markdown) instead of HOCON.")
    boolean markdown;

    @Option(names = "--config", paramLabel = "FILE", description = "Check this configuration and print it resolved.")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key (repeatable); implies checking.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (config != null || !overrides.isEmpty()) {
            System.out.print(Settings.load(config, overrides).render());
        } else {
            System.out.print(markdown ? Keys.markdownTable() : Keys.hocon());
        }
        return ExitCodes.OK;
    }
}
