package org.heatwave.pipeline.cli;

import org.heatwave.pipeline.config.Keys;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.MetricsFile;
import org.heatwave.pipeline.report.LevelCurves;
import org.heatwave.pipeline.report.OptimizerComparison;
import org.heatwave.pipeline.report.PhasePlanes;
import org.heatwave.pipeline.report.SegmentationFigure;
import org.heatwave.pipeline.train.CrossResolution;
import org.heatwave.pipeline.train.MultilevelTraining;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.heatwave.segmentation.Qtips;
import org.heatwave.segmentation.SegmentationNetwork;
import org.heatwave.segmentation.SegmentationRun;
import org.heatwave.stability.Seed004;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heatwave experiment …}: the seeds' experiments — stability, segmentation, optimizers, cross-resolution, multilevel. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "The seeds' experiments.",
        subcommands = {ExperimentCommand.Stability.class, ExperimentCommand.Segmentation.class, ExperimentCommand.Optimizers.class,
            ExperimentCommand.CrossResolutionCommand.class, ExperimentCommand.Multilevel.class})
final class ExperimentCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "stability", mixinStandardHelpOptions = true,
            description = "Seed 004's stability experiments: identical layers with K+, K-, K0 and antisymmetric versions"
                    + " (forward Euler, 21 layers) and the Verlet network (N = 20 ... 1000). Writes stability.json,"
                    + " euler.png and verlet.png.")
    static final class Stability implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Output directory, any Hadoop FileSystem URI (default: runs/<time>-stability).")
        String out;

        @Override
        public Integer call() throws Exception {
            String dir = out != null ? out
                    : "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-stability";
            Path run = new Path(dir);
            FileSystem fs = run.getFileSystem(new Configuration());
            fs.mkdirs(run);
            List<Seed004.Run> euler = Seed004.euler();
            List<Seed004.Run> verlet = Seed004.verlet();

            ObjectNode json = Json.object();
            json.put("seed", "004").put("h", Seed004.H).put("activation", "tanh").put("bias", 0);
            ArrayNode e = json.putObject("euler").put("layers", Seed004.LAYERS).putArray("runs");
            PhasePlanes eulerPlot = new PhasePlanes();
            eulerPlot.add("features (input)", new double[][][] {euler.get(0).trajectory()[0]});
            for (Seed004.Run r : euler) {
                e.add(describe(r));
                eulerPlot.add(r.name() + ", layer " + Seed004.LAYERS, r.trajectory());
            }
            ArrayNode v = json.putObject("verlet").putArray("runs");
            PhasePlanes verletPlot = new PhasePlanes();
            for (Seed004.Run r : verlet) {
                v.add(describe(r).put("layers", r.trajectory().length - 1));
                verletPlot.add(r.name(), r.trajectory());
            }
            AtomicFiles.writeText(fs, new Path(run, "stability.json"), Json.PRETTY.writeValueAsString(json) + "\n");
            AtomicFiles.writeBytesAtomically(fs, new Path(run, "euler.png"), eulerPlot.png(3));
            AtomicFiles.writeBytesAtomically(fs, new Path(run, "verlet.png"), verletPlot.png(3));
            for (Seed004.Run r : euler) {
                System.out.printf(java.util.Locale.ROOT, "%-18s pairwise distances %s -> %s%n", r.name(),
                        fmt(r.distances(0)), fmt(r.distances(r.trajectory().length - 1)));
            }
            for (Seed004.Run r : verlet) {
                System.out.printf(java.util.Locale.ROOT, "%-18s feature norms within [%.3f, %.3f]%n", r.name(), r.minNorm(),
                        r.maxNorm());
            }
            System.out.println("written: " + run + "/{stability.json, euler.png, verlet.png}");
            return 0;
        }

        private static ObjectNode describe(Seed004.Run r) {
            ObjectNode o = Json.object().put("name", r.name());
            o.set("matrix", Json.MAPPER.valueToTree(r.matrix()));
            o.set("initial", Json.MAPPER.valueToTree(r.trajectory()[0]));
            o.set("final", Json.MAPPER.valueToTree(r.last()));
            o.set("distances_initial", Json.MAPPER.valueToTree(r.distances(0)));
            o.set("distances_final", Json.MAPPER.valueToTree(r.distances(r.trajectory().length - 1)));
            o.put("max_norm", r.maxNorm()).put("min_norm", r.minNorm());
            return o;
        }

        private static String fmt(double[] d) {
            return String.format(java.util.Locale.ROOT, "(%.3f, %.3f, %.3f)", d[0], d[1], d[2]);
        }
    }

    @Command(name = "segmentation", mixinStandardHelpOptions = true,
            description = "Seed 003's segmentation comparison: the IMEX block against the plain ResNet block (equal"
                    + " parameters and time horizon) on generated Q-tips images, per-pixel accuracy and IoU. Writes"
                    + " segmentation.json and segmentation.png.")
    static final class Segmentation implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Output directory, any Hadoop FileSystem URI (default: runs/<time>-segmentation).")
        String out;

        @Option(names = "--size", defaultValue = "32", description = "Image side (default 32).")
        int size;

        @Option(names = "--train", defaultValue = "4000", description = "Training images (default 4000).")
        int train;

        @Option(names = "--test", defaultValue = "500", description = "Test images (default 500).")
        int test;

        @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default 4).")
        int epochs;

        @Option(names = "--width", defaultValue = "16", description = "Channels of the block (default 16).")
        int width;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the weights (default 1).")
        long seed;

        @Override
        public Integer call() throws Exception {
            String dir = out != null ? out
                    : "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-segmentation";
            Path run = new Path(dir);
            FileSystem fs = run.getFileSystem(new Configuration());
            fs.mkdirs(run);
            Qtips data = new Qtips(size, size, 0.3);
            Qtips.Sample trainSet = data.generate(seed, 0, train);
            Qtips.Sample testSet = data.generate(seed + 1, 0, test);
            int threads = Runtime.getRuntime().availableProcessors();
            // equal parameters and horizon T = 2: ResNet 6 steps of 18c² stencil weights, IMEX 4 steps of 27c²
            String[] blocks = {"resnet", "imex"};
            int[] steps = {6, 4};
            ObjectNode json = Json.object().put("seed", seed).put("image_size", size).put("train_images", train)
                    .put("test_images", test).put("epochs", epochs).put("width", width).put("noise", 0.3)
                    .put("threads", threads);
            ArrayNode runs = json.putArray("runs");
            List<String> titles = new java.util.ArrayList<>(List.of("truth"));
            List<int[]> columns = new java.util.ArrayList<>();
            int shown = Math.min(4, test);
            columns.add(java.util.Arrays.copyOf(testSet.labels(), shown * size * size));
            for (int b = 0; b < blocks.length; b++) {
                SegmentationNetwork net = new SegmentationNetwork(size, size, width, blocks[b], steps[b], 2.0 / steps[b],
                        Qtips.CLASSES);
                System.out.println("training " + blocks[b] + " (" + net.paramCount() + " parameters) ...");
                SegmentationRun.Result r = SegmentationRun.train(net, blocks[b], trainSet, testSet, epochs, 32, 0.05, seed,
                        threads);
                System.out.printf(java.util.Locale.ROOT,
                        "%-8s %6d params · %5.1f s · pixel accuracy %.2f%% · IoU background %.3f shaft %.3f tip %.3f · mean %.3f%n",
                        blocks[b], r.params(), r.seconds(), 100 * r.pixelAccuracy(), r.iou()[0], r.iou()[1], r.iou()[2],
                        r.meanIou());
                ObjectNode o = runs.addObject().put("block", blocks[b]).put("steps", steps[b]).put("step_size", 2.0 / steps[b])
                        .put("params", r.params()).put("train_seconds", r.seconds())
                        .put("pixel_accuracy", r.pixelAccuracy()).put("mean_iou", r.meanIou())
                        .put("final_train_loss", r.trainLoss());
                o.set("iou", Json.MAPPER.valueToTree(r.iou()));
                titles.add(blocks[b]);
                columns.add(net.predict(net.body().bind(r.theta(), 0), testSet, 0, shown));
            }
            AtomicFiles.writeText(fs, new Path(run, "segmentation.json"), Json.PRETTY.writeValueAsString(json) + "\n");
            AtomicFiles.writeBytesAtomically(fs, new Path(run, "segmentation.png"),
                    SegmentationFigure.png(size, size, shown, testSet.pixels(), titles, columns));
            System.out.println("written: " + run + "/{segmentation.json, segmentation.png}");
            return 0;
        }
    }

    @Command(name = "optimizers", mixinStandardHelpOptions = true,
            description = "Issues 5 and 19: sgd, adam, lbfgs, sgn, sgn-varpro and sgd-sgn-varpro on the same network, data and budget of data"
                    + " passes, one after the other in one Spark context; the loss on a fixed sample of training"
                    + " examples and the test accuracy at checkpoints. Writes <optimizer>/ run directories,"
                    + " optimizers.json, optimizers.png and prints a Markdown table.")
    static final class Optimizers implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/fashion-mnist-parabolic.conf",
                description = "The network and data (default conf/fashion-mnist-parabolic.conf).")
        java.io.File config;

        @Option(names = "--passes", defaultValue = "3", description = "Data passes per optimiser (default 3).")
        int passes;

        @Option(names = "--optimizers", split = ",", defaultValue = "sgd,adam,lbfgs,sgn,sgn-varpro,sgd-sgn-varpro",
                description = "Which, in order; the first is the reference (default sgd,adam,lbfgs,sgn,sgn-varpro,sgd-sgn-varpro).")
        List<String> optimizers;

        @Option(names = "--eval-every", defaultValue = "0.25", description = "Data passes between checkpoints (default 0.25).")
        double evalEvery;

        @Option(names = "--train-eval", defaultValue = "10000",
                description = "Training examples whose loss the checkpoints evaluate (default 10000).")
        int trainEval;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<time>-optimizers).")
        String out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Configuration overrides for every run.")
        List<String> overrides = new java.util.ArrayList<>();

        /**
         * Each optimiser's own settings on top of the config for a budget of {@code passes} (documented in BENCHMARKS.md):
         * variable projection with gradients over 12,000 examples and products over 1,200 (issue 19); the hybrid's
         * Gauss–Newton phase (0.3 passes: one iteration) with gradients over 6,000 examples, products over 600 and the
         * damping from 0.1 (measured in issue 19: from where SGD ends, the damping decides whether the step helps).
         */
        static List<String> defaults(String optimizer, int passes) {
            return switch (optimizer) {
                case "adam" -> List.of("train.learning-rate=1e-3");
                case "lbfgs" -> List.of("train.resample-every=10");
                case "sgn-varpro" -> List.of("train.sample-size=12000", "train.curvature-sample=1200", "train.cg-iterations=10");
                case "sgd-sgn-varpro" -> List.of("train.sample-size=6000", "train.curvature-sample=600", "train.cg-iterations=10",
                        "train.damping=0.1");
                default -> List.of();
            };
        }

        @Override
        public Integer call() throws Exception {
            String dir = out != null ? out
                    : "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-optimizers";
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(new Configuration());
            fs.mkdirs(root);
            OptimizerComparison comparison = new OptimizerComparison();
            ObjectNode json = Json.object().put("config", config.toString()).put("passes", passes);
            ArrayNode runs = json.putArray("runs");
            String master = Settings.load(config, overrides).get(Keys.SPARK_MASTER);
            try (JavaSparkContext jsc =
                         SparkContexts.create("heatwave experiment optimizers", master)) {
                for (String o : optimizers) {
                    List<String> set = new java.util.ArrayList<>(defaults(o, passes));
                    set.addAll(List.of("train.optimizer=" + o, "train.epochs=" + passes, "log.eval-every-passes=" + evalEvery,
                            "log.train-eval-examples=" + trainEval));
                    set.addAll(overrides);
                    Settings settings = Settings.load(config, set);
                    System.out.println("== " + o);
                    Path run = new Path(root, o);
                    Trainer.Result r = new Trainer(settings, System.out)
                            .run(jsc, run.toString());
                    comparison.add(o, MetricsFile.read(fs, new Path(run, "metrics.jsonl")));
                    runs.addObject().put("optimizer", o).put("run", run.toString()).set("summary", r.summary());
                }
            }
            String reference = optimizers.get(0);
            double target = comparison.last(reference).trainLoss();
            String table = comparison.table(reference, target);
            json.put("reference", reference).put("target_loss", target).put("table", table);
            AtomicFiles.writeText(fs, new Path(root, "optimizers.json"), Json.PRETTY.writeValueAsString(json) + "\n");
            AtomicFiles.writeBytesAtomically(fs, new Path(root, "optimizers.png"), comparison.png(config.getName()));
            System.out.print(table);
            System.out.println("written: " + root + "/{optimizers.json, optimizers.png, <optimizer>/}");
            return 0;
        }
    }

    /** {@code data.pyramid} if set (it must have {@code levels} levels), else one built into {@code out/pyramid}. */
    static String pyramid(JavaSparkContext jsc, Settings settings,
                          String out, int levels) throws java.io.IOException {
        if (!settings.get(Keys.DATA_PYRAMID).isEmpty()) {
            DatasetPyramid.Info info =
                    DatasetPyramid.info(settings.get(Keys.DATA_PYRAMID), jsc.hadoopConfiguration());
            info.level(levels);
            return info.root();
        }
        String root = new Path(out, "pyramid").toString();
        String source = DatasetFiles.directory(settings.get(Keys.DATA_NAME), settings.get(Keys.DATA_PATH));
        int p = settings.partitions(jsc.defaultParallelism());
        DatasetPyramid.build(jsc, settings.get(Keys.DATA_NAME), source, root, levels, p);
        return root;
    }

    private static String defaultOut(String name) {
        return "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name;
    }

    @Command(name = "cross-resolution", mixinStandardHelpOptions = true,
            description = "Seed 003: train on fine images and classify coarse ones (kernels unchanged, Galerkin,"
                    + " rediscretisation), and train on coarse and classify fine. Builds the pyramid unless"
                    + " data.pyramid is set; writes cross-resolution.json and prints the table.")
    static final class CrossResolutionCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/cross-resolution.conf",
                description = "The network, data and training (default conf/cross-resolution.conf).")
        java.io.File config;

        @Option(names = "--data", description = "Dataset: mnist or fashion-mnist (default: the config's data.name).")
        String data;

        @Option(names = "--fine-level", defaultValue = "0", description = "The fine level; the coarse one is the next (default 0).")
        int fine;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<time>-cross-resolution).")
        String out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Configuration overrides.")
        List<String> overrides = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> set = new java.util.ArrayList<>(overrides);
            if (data != null) {
                set.add("data.name=" + data);
            }
            Settings settings = Settings.load(config, set);
            String dir = out != null ? out : defaultOut("cross-resolution-" + settings.get(Keys.DATA_NAME));
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(new Configuration());
            fs.mkdirs(root);
            try (JavaSparkContext jsc = SparkContexts.create(
                    "heatwave experiment cross-resolution", settings.get(Keys.SPARK_MASTER))) {
                String pyramid = pyramid(jsc, settings, dir, fine + 1);
                List<CrossResolution.Row> rows = CrossResolution.run(
                        jsc, settings.with(List.of("data.pyramid=" + pyramid)), fine, dir, System.out);
                ObjectNode json = CrossResolution.json(rows, settings.get(Keys.DATA_NAME));
                json.put("config", config.toString()).put("pyramid", pyramid);
                AtomicFiles.writeText(fs, new Path(root, "cross-resolution.json"), Json.PRETTY.writeValueAsString(json) + "\n");
                System.out.print(CrossResolution.table(rows));
            }
            System.out.println("written: " + root + "/cross-resolution.json");
            return 0;
        }
    }

    @Command(name = "multilevel", mixinStandardHelpOptions = true,
            description = "Seeds 002/003: coarse-to-fine training against fine-only training of the same network in one"
                    + " Spark context; writes multilevel-vs-fine.json and .png and prints the table.")
    static final class Multilevel implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/multilevel-fashion-mnist.conf",
                description = "The network and data (default conf/multilevel-fashion-mnist.conf).")
        java.io.File config;

        @Option(names = "--levels", split = ",", defaultValue = "1,0", description = "Levels, coarsest first (default 1,0).")
        List<Integer> levels;

        @Option(names = "--epochs", split = ",", defaultValue = "2,1", description = "Budget per level (default 2,1).")
        List<Integer> epochs;

        @Option(names = "--fine-epochs", defaultValue = "3", description = "Budget of the fine-only run (default 3).")
        int fineEpochs;

        @Option(names = "--kernels", defaultValue = "unchanged",
                description = "How stencils move up a level: unchanged (default) | galerkin | rediscretisation.")
        String kernels;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<time>-multilevel).")
        String out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Configuration overrides for both runs.")
        List<String> overrides = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Settings base = Settings.load(config, overrides);
            String dir = out != null ? out : defaultOut("multilevel");
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(new Configuration());
            fs.mkdirs(root);
            int deepest = levels.stream().mapToInt(Integer::intValue).max().orElse(0);
            String list = "[" + String.join(", ", levels.stream().map(String::valueOf).toList()) + "]";
            String budgets = "[" + String.join(", ", epochs.stream().map(String::valueOf).toList()) + "]";
            ObjectNode json = Json.object().put("config", config.toString()).put("levels", list).put("epochs", budgets)
                    .put("fine_epochs", fineEpochs).put("kernels", kernels);
            try (JavaSparkContext jsc = SparkContexts.create(
                    "heatwave experiment multilevel", base.get(Keys.SPARK_MASTER))) {
                String pyramid = pyramid(jsc, base, dir, deepest);
                Settings withPyramid = base.with(List.of("data.pyramid=" + pyramid));
                MultilevelTraining schedule = new MultilevelTraining(
                        withPyramid.with(List.of("multilevel.levels=" + list, "multilevel.epochs=" + budgets,
                                "multilevel.kernels=" + kernels)), System.out);
                schedule.validate(jsc);
                System.out.println("== fine only: level 0, " + fineEpochs + " epochs");
                long t0 = System.nanoTime();
                Trainer.Result fineOnly = new Trainer(
                        withPyramid.with(List.of("data.level=0", "train.epochs=" + fineEpochs)), System.out)
                        .run(jsc, new Path(root, "fine-only").toString());
                double fineSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.println("== multilevel: levels " + list + ", epochs " + budgets + ", " + kernels + " kernels");
                MultilevelTraining.Result ml = schedule.run(jsc, new Path(root, "multilevel").toString());
                double fineAccuracy = fineOnly.summary().get("test_accuracy").asDouble();
                double mlAccuracy = ml.summary().get("test_accuracy").asDouble();
                String table = String.format(java.util.Locale.ROOT, "| schedule | wall seconds | test accuracy |%n|---|---|---|%n"
                        + "| fine only (level 0, %d epochs) | %.0f | %.2f %% |%n| multilevel (levels %s, epochs %s, %s) | %.0f | %.2f %% |%n"
                        + "%nmultilevel / fine-only wall time: %.2f; accuracy difference %+.2f points%n", fineEpochs, fineSeconds,
                        100 * fineAccuracy, list, budgets, kernels, ml.wallSeconds(), 100 * mlAccuracy,
                        ml.wallSeconds() / fineSeconds, 100 * (mlAccuracy - fineAccuracy));
                json.put("fine_seconds", fineSeconds).put("fine_test_accuracy", fineAccuracy)
                        .put("multilevel_seconds", ml.wallSeconds()).put("multilevel_test_accuracy", mlAccuracy)
                        .put("time_ratio", ml.wallSeconds() / fineSeconds).put("table", table).set("multilevel", ml.summary());
                LevelCurves curves = new LevelCurves();
                // each series starts when its training did (after loading the data), as the level's curves do
                curves.add("fine only", fineSeconds - fineOnly.summary().get("wall_seconds").asDouble(),
                        MetricsFile.read(fs, new Path(new Path(root, "fine-only"), "metrics.jsonl")));
                MultilevelTraining.addCurves(curves, "multilevel: ", ml.levels());
                AtomicFiles.writeText(fs, new Path(root, "multilevel-vs-fine.json"), Json.PRETTY.writeValueAsString(json) + "\n");
                AtomicFiles.writeBytesAtomically(fs, new Path(root, "multilevel-vs-fine.png"),
                        curves.png(config.getName() + " · multilevel " + list + " vs fine only"));
                System.out.print(table);
            }
            System.out.println("written: " + root + "/{multilevel-vs-fine.json, multilevel-vs-fine.png, fine-only/, multilevel/}");
            return 0;
        }
    }
}
