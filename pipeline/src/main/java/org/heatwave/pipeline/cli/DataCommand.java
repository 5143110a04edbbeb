package org.heatwave.pipeline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heatwave.datasets.FashionMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heatwave data fetch fashion-mnist}. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset management.",
        subcommands = {DataCommand.Fetch.class})
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a dataset into the cache ($HEATWAVE_CACHE or ~/.cache/heatwave) without root.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Dataset: fashion-mnist.")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!name.equals(FashionMnist.NAME)) {
                throw new IllegalArgumentException("unknown dataset '" + name + "'; available: " + FashionMnist.NAME);
            }
            Path dir = FashionMnist.fetch(FashionMnist.defaultCacheDir());
            System.out.println(FashionMnist.NAME + ": " + dir);
            return 0;
        }
    }
}
