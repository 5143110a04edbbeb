package org.heatwave.pipeline.train;

import org.heatwave.pipeline.config.Keys;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.augment.Augmentation;
import org.heatwave.conv.Boundary;
import org.heatwave.loss.LossResult;
import org.heatwave.net.ClassifierSolve;
import org.heatwave.net.Network;
import org.heatwave.net.VariableProjection;
import org.heatwave.opt.Adam;
import org.heatwave.opt.GaussNewton;
import org.heatwave.opt.Hybrid;
import org.heatwave.opt.Lbfgs;
import org.heatwave.opt.LearningRate;
import org.heatwave.opt.Optimizer;
import org.heatwave.opt.ReducedObjective;
import org.heatwave.opt.SampleSchedule;
import org.heatwave.opt.SampledObjective;
import org.heatwave.opt.Sampler;
import org.heatwave.opt.SgdMomentum;
import org.heatwave.opt.StochasticGradient;
import org.heatwave.pipeline.config.ConfigurationException;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.CifarFiles;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageFolders;
import org.heatwave.pipeline.data.ImageFrames;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.heatwave.pipeline.data.PreparedData;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.distributed.SparkObjective;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.report.TrainingCurves;
import org.heatwave.reg.Regularizer;
import org.heatwave.reg.Tikhonov;
import org.heatwave.simd.Simd;

/**
 * The training driver: synchronous data-parallel optimisation on Spark, with the optimiser of
 * {@code train.optimizer} (SGD with momentum or Nesterov, Adam, L-BFGS, stochastic Gauss–Newton, and
 * Gauss–Newton with variable projection — issue 5) running on the driver against the {@link SparkObjective}:
 * every value, gradient and Gauss–Newton product is one job (θ broadcast, micro-batch results summed exactly
 * and combined as a tree on the executors; in local mode θ and the partial sums are handed over by reference, and
 * consecutive evaluations are rounds of one job's resident tasks, released when the optimiser is done). A test evaluation (one job) follows every completed pass over the
 * training data. Writes the run directory ({@link RunDirectory}): {@code config.conf}, {@code metrics.jsonl}
 * (a record per logged iteration and per pass), {@code checkpoints/}, then {@code model/},
 * {@code summary.json}, {@code training.png} and, last, {@code _SUCCESS}. An unfinished run continues from its
 * newest checkpoint ({@link #resume}) to the model an uninterrupted run would have given, bit for bit.
 */
public final class Trainer {
    /** The draws of {@link Sampler#sample} the log's fixed training sample and the hybrid's final classifier take. */
    private static final long TRAIN_EVAL_SAMPLE = -1, FINAL_CLASSIFIER_SAMPLE = -2;
    private final Settings settings;
    private final PrintStream console;
    private final DistributedObjective.TaskHook hook;
    /** The network to train instead of the configured one (a warm start keeps its parent's), or null. */
    private final ModelSpec network;

    public Trainer(Settings settings, PrintStream console) {
        this(settings, console, DistributedObjective.TaskHook.NONE, null);
    }

    private Trainer(Settings settings, PrintStream console, DistributedObjective.TaskHook hook, ModelSpec network) {
        this.settings = settings;
        this.console = console;
        this.hook = hook;
        this.network = network;
    }

    /** This trainer with {@code hook} run at the start of every task of the objective (fault injection in tests). */
    public Trainer withTaskHook(DistributedObjective.TaskHook hook) {
        return new Trainer(settings, console, hook, network);
    }

    /**
     * This trainer training {@code spec} — e.g. a saved model's network, input statistics included, to continue it on
     * new data — instead of the configured network (the model.* settings are then not used).
     */
    public Trainer withNetwork(ModelSpec spec) {
        return new Trainer(settings, console, hook, spec);
    }

    /** The outcome of a run. */
    public record Result(ObjectNode summary, double[] params, ModelSpec spec) {
    }

    /** The data directory: {@code data.path}, or {@code data.name}'s dataset found (or fetched) automatically. */
    public String dataDirectory() throws IOException {
        return DatasetFiles.directory(settings.get(Keys.DATA_NAME), settings.get(Keys.DATA_PATH));
    }

    /** Runs the whole job in {@code jsc}, writing into the new directory {@code runDir} (any Hadoop FileSystem URI). */
    public Result run(JavaSparkContext jsc, String runDir) throws IOException {
        try (Splits data = load(jsc, settings.get(Keys.DATA_LEVEL))) {
            return train(jsc, data, runDir, null);
        }
    }

    /**
     * Continues the unfinished run in {@code runDir} — whose {@code config.conf} these settings must come from —
     * from its newest usable checkpoint (from the start if it has none), to the model an uninterrupted run would
     * have given, bit for bit. A finished run is left as it is and its result returned.
     */
    public Result resume(JavaSparkContext jsc, String runDir) throws IOException {
        RunDirectory run = RunDirectory.open(runDir, jsc.hadoopConfiguration());
        if (run.finished()) {
            return finished(run, jsc.hadoopConfiguration());
        }
        try (Splits data = load(jsc, settings.get(Keys.DATA_LEVEL))) {
            return resume(jsc, data, run, null);
        }
    }

    /** Whether {@code runDir} holds a finished run ({@value RunDirectory#SUCCESS} in it). */
    public static boolean isFinished(String runDir, Configuration conf) throws IOException {
        return RunDirectory.open(runDir, conf).finished();
    }

    /**
     * That {@code runDir} does not exist yet — a new run never writes into a directory it did not create; checked
     * before Spark starts.
     *
     * @throws org.heatwave.pipeline.io.OutputExistsException naming it and what to do instead
     */
    public static void requireNewRunDirectory(String runDir, Configuration conf) throws IOException {
        Path p = new Path(runDir);
        RunDirectory.requireAbsent(p.getFileSystem(conf), p);
    }

    /** The settings a run was started with (its {@code config.conf}). */
    public static Settings settingsOf(String runDir, Configuration conf) throws IOException {
        return Settings.parse(RunDirectory.open(runDir, conf).readConfig(), runDir + "/" + RunDirectory.CONFIG);
    }

    /**
     * The training and test sets of one run (the test set may be null), cached on the executors, where they came from,
     * the class names, and whether they were read from image files (else numbers: IDX, a pyramid, arrays).
     */
    public record Splits(DistributedDataset train, DistributedDataset test, String source, List<String> classNames,
                         boolean imageFiles) implements AutoCloseable {
        /** Classes named {@code 0…k−1}, read from numbers. */
        public Splits(DistributedDataset train, DistributedDataset test, String source) {
            this(train, test, source, numbered(train.classes()), false);
        }

        /** {@code "0"}, …, {@code "k−1"}. */
        static List<String> numbered(int k) {
            return java.util.stream.IntStream.range(0, k).mapToObj(String::valueOf).toList();
        }

        /** What the model directory records of these data: class names and input. */
        ObjectNode describe() {
            return ImageFrames.describe(classNames, new ImageFrames.Input(imageFiles, train.channels(), train.height(),
                    train.width()));
        }

        @Override
        public void close() {
            train.close();
            if (test != null) {
                test.close();
            }
        }
    }

    /**
     * Loads both splits: level {@code level} of the pyramid {@code data.pyramid} if set, else the IDX files of
     * {@code data.name} (level 0 only). Both are validated before anything is trained or written.
     */
    public Splits load(JavaSparkContext jsc, int level) throws IOException {
        return load(jsc, level, null);
    }

    /**
     * Loads the parts of a data snapshot — directories each holding a dataset in {@code data.format}, e.g. one per
     * nightly delivery — as one training and one test set, the records of part 0 first, then part 1's, … ({@link
     * DistributedDataset#concat}): the same sets as one dataset holding them all in that order. Class folders are
     * labelled by the classes of all parts together, in name order.
     *
     * @throws org.heatwave.datasets.DatasetFormatException naming the part whose images differ in size from the first
     *                                                      part's (exit 65)
     */
    public Splits load(JavaSparkContext jsc, List<String> parts) throws IOException {
        if (!settings.get(Keys.DATA_PYRAMID).isEmpty() || parts.isEmpty()) {
            throw new IllegalArgumentException(parts.isEmpty() ? "no data to load: the snapshot has no parts"
                    : "a snapshot's parts are read in data.format; data.pyramid must be empty");
        }
        List<String> classes = null;
        if (settings.get(Keys.DATA_FORMAT).equals("image-folder")) {
            java.util.TreeSet<String> union = new java.util.TreeSet<>();
            for (String part : parts) {
                union.addAll(ImageFolders.classes(part, jsc.hadoopConfiguration()));
            }
            classes = List.copyOf(union);
        }
        List<Splits> loaded = new ArrayList<>();
        try {
            for (String part : parts) {
                Splits p = new Trainer(settings.with(List.of(Keys.DATA_PATH.key() + "=" + part)), console, hook, network)
                        .load(jsc, 0, classes);
                loaded.add(p);
                Splits first = loaded.get(0);
                if (p.train().channels() != first.train().channels() || p.train().height() != first.train().height()
                        || p.train().width() != first.train().width()) {
                    throw new org.heatwave.datasets.DatasetFormatException(part + " holds " + p.train().channels() + "x" + p.train().height()
                            + "x" + p.train().width() + " images, " + parts.get(0) + " " + first.train().channels() + "x"
                            + first.train().height() + "x" + first.train().width() + ": every part of the data must hold"
                            + " images of one size");
                }
            }
            if (loaded.size() == 1) {
                return loaded.remove(0);
            }
            int shards = settings.get(Keys.DATA_SHARDS), partitions = settings.partitions(jsc.defaultParallelism());
            Splits widest = loaded.stream().max(java.util.Comparator.comparingInt(p -> p.classNames().size())).get();
            DistributedDataset train = DistributedDataset.concat(jsc, loaded.stream().map(Splits::train).toList(), shards,
                    partitions, "concatenate the training sets of " + parts.size() + " parts");
            try {
                DistributedDataset test = DistributedDataset.concat(jsc, loaded.stream().map(Splits::test).toList(), shards,
                        partitions, "concatenate the test sets of " + parts.size() + " parts");
                return new Splits(train, test, parts.size() + " parts: " + String.join(", ", parts),
                        widest.classNames(), widest.imageFiles());
            } catch (RuntimeException e) {
                train.close();
                throw e;
            }
        } finally {
            loaded.forEach(Splits::close);
        }
    }

    /** {@link #load(JavaSparkContext, int)}, class folders labelled by {@code classes} (null: those of data.path). */
    private Splits load(JavaSparkContext jsc, int level, List<String> classes) throws IOException {
        Configuration hadoop = jsc.hadoopConfiguration();
        int partitions = settings.partitions(jsc.defaultParallelism());
        int shards = settings.get(Keys.DATA_SHARDS);
        if (!settings.get(Keys.DATA_PYRAMID).isEmpty()) {
            DatasetPyramid.Info info = DatasetPyramid.info(settings.get(Keys.DATA_PYRAMID), hadoop);
            return pyramidSplits(jsc, info, level, info.root() + " level " + level);
        }
        if (level != 0) {
            throw new IllegalArgumentException("data.level = " + level + " needs data.pyramid (build one with"
                    + " 'bin/heatwave data restrict --levels " + level + " --out URI')");
        }
        if (settings.get(Keys.DATA_FORMAT).equals("image-folder")) {
            return imageFolderSplits(jsc, settings.get(Keys.DATA_PATH), classes, partitions, shards);
        }
        if (settings.get(Keys.DATA_FORMAT).equals("parquet")) {
            return parquetSplits(jsc, settings.get(Keys.DATA_PATH), partitions, shards);
        }
        if (settings.get(Keys.DATA_FORMAT).equals("cifar")) {
            String dir = settings.get(Keys.DATA_PATH);
            List<String> cifarClasses = CifarFiles.classes(dir, jsc.hadoopConfiguration());
            return both(() -> CifarFiles.load(jsc, dir, true, settings.get(Keys.DATA_TRAIN_LIMIT), shards, partitions),
                    () -> CifarFiles.load(jsc, dir, false, settings.get(Keys.DATA_TEST_LIMIT), shards, partitions),
                    (train, test) -> new Splits(train, test, dir, cifarClasses, false));
        }
        requireReadableData(settings, jsc.master());
        String dataDir = dataDirectory();
        if (!settings.get(Keys.DATA_PREPARED_DIR).isEmpty()) {
            DatasetPyramid.Info info = PreparedData.prepare(jsc, settings.get(Keys.DATA_NAME), dataDir, settings.get(Keys.DATA_PREPARED_DIR),
                    partitions);
            return pyramidSplits(jsc, info, 0, dataDir + " (prepared: " + info.root() + ")");
        }
        DatasetFiles trainFiles = DatasetFiles.idx(dataDir, true, hadoop);
        DatasetFiles testFiles = DatasetFiles.idx(dataDir, false, hadoop);
        DistributedDataset train = DistributedDataset.load(jsc, trainFiles, settings.get(Keys.DATA_TRAIN_LIMIT), shards, partitions,
                "load training data");
        DistributedDataset test;
        try {
            test = DistributedDataset.load(jsc, testFiles, settings.get(Keys.DATA_TEST_LIMIT), shards, partitions, "load test data");
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
        if (train.height() != test.height() || train.width() != test.width()) {
            train.close();
            test.close();
            throw new IOException("training images are " + train.height() + "x" + train.width() + " but test images "
                    + test.height() + "x" + test.width() + " (" + trainFiles.images() + ", " + testFiles.images() + ")");
        }
        return new Splits(train, test, dataDir, DatasetFiles.classNames(settings.get(Keys.DATA_NAME)), false);
    }

    /** Both splits from class folders of images ({@link ImageFolders}), the test split's classes those of training. */
    private Splits imageFolderSplits(JavaSparkContext jsc, String dir, List<String> classNames, int partitions, int shards)
            throws IOException {
        List<String> classes = classNames != null ? classNames : ImageFolders.classes(dir, jsc.hadoopConfiguration());
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        ImageFolders.Split trainRows = ImageFolders.read(spark, dir, true, classes, settings.get(Keys.DATA_TRAIN_LIMIT));
        ImageFolders.Split testRows = ImageFolders.read(spark, dir, false, classes, settings.get(Keys.DATA_TEST_LIMIT));
        ImageFrames.Input input = ImageFrames.input(trainRows.rows(), ImageFolders.IMAGE, null);
        return both(() -> load(jsc, trainRows, input, classes.size(), shards, partitions),
                () -> load(jsc, testRows, input, classes.size(), shards, partitions),
                (train, test) -> new Splits(train, test, dir, classes, true));
    }

    /** Loads one split of a pair. */
    private interface SplitLoader {
        DistributedDataset load() throws IOException;
    }

    /** The training split, then the test split (the training split released if the test split fails), combined. */
    private static Splits both(SplitLoader train, SplitLoader test,
                               java.util.function.BiFunction<DistributedDataset, DistributedDataset, Splits> combine)
            throws IOException {
        DistributedDataset loaded = train.load();
        try {
            return combine.apply(loaded, test.load());
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * Both splits from {@code DIR/train} and {@code DIR/test} Parquet datasets: the features and label columns of
     * {@code data.features-column} and {@code data.label-column}, k classes from the training labels' maximum.
     */
    private Splits parquetSplits(JavaSparkContext jsc, String dir, int partitions, int shards) throws IOException {
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        String features = settings.get(Keys.DATA_FEATURES_COLUMN), label = settings.get(Keys.DATA_LABEL_COLUMN);
        Dataset<Row> trainRows = limited(spark.read().parquet(new org.apache.hadoop.fs.Path(dir, "train").toString()),
                settings.get(Keys.DATA_TRAIN_LIMIT));
        Dataset<Row> testRows = limited(spark.read().parquet(new org.apache.hadoop.fs.Path(dir, "test").toString()),
                settings.get(Keys.DATA_TEST_LIMIT));
        ImageFrames.requireNumeric(trainRows.schema(), label);
        int[] shape = settings.ints(Keys.DATA_IMAGE_SHAPE);
        ImageFrames.Input input = ImageFrames.input(trainRows, features, shape.length == 0 ? null : shape);
        Row max = trainRows.agg(org.apache.spark.sql.functions.max(label)).first();
        if (max.isNullAt(0)) {
            throw new IllegalArgumentException(dir + "/train: column " + label + " has no labels");
        }
        int classes = (int) Math.floor(((Number) max.get(0)).doubleValue()) + 1;
        return both(() -> ImageFrames.load(jsc, trainRows, features, label, input, classes, shards, partitions),
                () -> ImageFrames.load(jsc, testRows, features, label, input, classes, shards, partitions),
                (train, test) -> new Splits(train, test, dir, Splits.numbered(classes), input.imageStruct()));
    }

    private static Dataset<Row> limited(Dataset<Row> rows, int limit) {
        return limit == 0 ? rows : rows.limit(limit);
    }

    private static DistributedDataset load(JavaSparkContext jsc, ImageFolders.Split split, ImageFrames.Input input,
                                           int classes, int shards, int partitions) {
        return ImageFrames.loadIndexed(jsc, split.rows(), ImageFolders.INDEX, split.count(), ImageFolders.IMAGE,
                ImageFolders.LABEL, input, classes, shards, partitions);
    }

    /**
     * That the executors of {@code master} can read the configured data — checked before Spark starts: on a
     * master whose executors are on other machines, an empty {@code data.path} (the dataset found or fetched on
     * this machine) is refused with what to do, and IDX files need {@code data.prepared-dir}.
     *
     * @throws ConfigurationException naming the keys to set
     */
    public static void requireReadableData(Settings settings, String master) {
        if (!settings.get(Keys.DATA_PYRAMID).isEmpty() || SparkContexts.executorsOnThisHost(master)) {
            return;
        }
        if (settings.get(Keys.DATA_PATH).isEmpty()) {
            throw new ConfigurationException("data.path is empty, so " + settings.get(Keys.DATA_NAME) + " would be found (or fetched)"
                    + " on this machine, where the executors of master " + master + " cannot read it: copy its four IDX"
                    + " files to a FileSystem they share (e.g. hdfs dfs -put ~/.cache/heatwave/" + settings.get(Keys.DATA_NAME)
                    + " /data/) and set data.path, or set data.pyramid", null);
        }
        if (settings.get(Keys.DATA_PREPARED_DIR).isEmpty()) {
            throw new ConfigurationException("the IDX files in " + settings.get(Keys.DATA_PATH) + " are gzip streams, which every"
                    + " executor of master " + master + " would read whole: set data.prepared-dir to a FileSystem URI all"
                    + " executors can read (e.g. hdfs:///user/me/heatwave-prepared), where they are converted once into"
                    + " splittable Parquet", null);
        }
    }

    /** Both splits of level {@code level} of a pyramid. */
    private Splits pyramidSplits(JavaSparkContext jsc, DatasetPyramid.Info info, int level, String source)
            throws IOException {
        int partitions = settings.partitions(jsc.defaultParallelism());
        List<String> classes = DatasetFiles.NAMES.contains(info.dataset()) ? DatasetFiles.classNames(info.dataset())
                : Splits.numbered(info.numClasses());
        return both(() -> DatasetPyramid.load(jsc, info, true, level, settings.get(Keys.DATA_TRAIN_LIMIT),
                        settings.get(Keys.DATA_SHARDS), partitions),
                () -> DatasetPyramid.load(jsc, info, false, level, settings.get(Keys.DATA_TEST_LIMIT),
                        settings.get(Keys.DATA_SHARDS), partitions),
                (train, test) -> new Splits(train, test, source, classes, false));
    }

    /**
     * The configured network for images of {@code channels × height × width} and {@code classes} classes.
     *
     * @throws ConfigurationException when the network does not fit images of that size, naming the block
     */
    public ModelSpec spec(int channels, int height, int width, int classes) {
        return new ModelSpec(height, width, channels, settings.ints(Keys.WIDTHS), settings.get(Keys.STEPS),
                settings.get(Keys.STEP_SIZE), settings.get(Keys.ACTIVATION), settings.get(Keys.NORMALIZATION), classes,
                settings.architecture());
    }

    /**
     * The configured network for the images of {@code data}, with their per-channel statistics when
     * {@code model.input-standardization = per-channel}.
     */
    public ModelSpec spec(DistributedDataset data) {
        if (network != null) {
            if (network.channels() != data.channels() || network.height() != data.height() || network.width() != data.width()
                    || network.classes() != data.classes()) {
                throw new IllegalArgumentException("the network " + network + " does not take these data: "
                        + data.channels() + "x" + data.height() + "x" + data.width() + " images of " + data.classes()
                        + " classes");
            }
            return network;
        }
        ModelSpec spec = spec(data.channels(), data.height(), data.width(), data.classes());
        return settings.get(Keys.INPUT_STANDARDIZATION).equals("per-channel")
                ? spec.standardized(data.channelStatistics()) : spec;
    }

    /**
     * Trains on {@code data}, writing into the new directory {@code runDir}, from {@code initial} (a copy is taken;
     * null: the network's seeded initialisation).
     */
    public Result train(JavaSparkContext jsc, Splits data, String runDir, double[] initial) throws IOException {
        spec(data.train()); // a network that does not fit the images: nothing written
        requireClassifierSampleWithinTheSecondPhase(data.train().count()); // nor a hybrid's sample past its budget
        return train(jsc, data, RunDirectory.create(runDir, jsc.hadoopConfiguration()), initial, Optional.empty());
    }

    /**
     * As {@link #train(JavaSparkContext, Splits, String, double[])} for a run directory that may exist already: a
     * finished run's result is read back, an unfinished one continued from its newest usable checkpoint (from
     * {@code initial} if it has none), a missing one started.
     */
    public Result resume(JavaSparkContext jsc, Splits data, String runDir, double[] initial) throws IOException {
        Configuration conf = jsc.hadoopConfiguration();
        Path p = new Path(runDir);
        if (!p.getFileSystem(conf).exists(new Path(p, RunDirectory.CONFIG))) {
            return train(jsc, data, runDir, initial);
        }
        RunDirectory run = RunDirectory.open(runDir, conf);
        return run.finished() ? finished(run, conf) : resume(jsc, data, run, initial);
    }

    private Result resume(JavaSparkContext jsc, Splits data, RunDirectory run, double[] initial) throws IOException {
        requireClassifierSampleWithinTheSecondPhase(data.train().count()); // its config.conf may have been edited
        run.removeStaleTemporaries();
        Optional<Checkpoint> from = run.latestCheckpoint(console);
        console.println(from.map(c -> "resuming " + run.path() + " after step " + c.step())
                .orElse("resuming " + run.path() + " from the start (no usable checkpoint)"));
        return train(jsc, data, run, initial, from);
    }

    /** Every record of the {@code metrics.jsonl} of the run in {@code runDir}, in order. */
    public static List<com.fasterxml.jackson.databind.JsonNode> metrics(String runDir, Configuration conf) throws IOException {
        Path file = new Path(runDir, RunDirectory.METRICS);
        return org.heatwave.pipeline.io.MetricsFile.read(file.getFileSystem(conf), file);
    }

    /** The training curves figure ({@code training.png}) of the finished run in {@code runDir}. */
    public static byte[] trainingCurves(String runDir, Configuration conf) throws IOException {
        Path file = new Path(runDir, "training.png");
        try (var in = file.getFileSystem(conf).open(file)) {
            return in.readAllBytes();
        }
    }

    /** The result of a finished run, read back from its model and summary. */
    private Result finished(RunDirectory run, Configuration conf) throws IOException {
        ModelIO.SavedModel m = ModelIO.load(run.file("model").toString(), conf);
        ObjectNode summary;
        try (var in = run.fs().open(run.file("summary.json"))) {
            summary = (ObjectNode) Json.MAPPER.readTree(in);
        }
        console.printf(Locale.ROOT, "%s is a finished run%s: nothing to do%n", run.path(), summary.has("test_accuracy")
                ? String.format(Locale.ROOT, " (test accuracy %.2f%%)", 100 * summary.path("test_accuracy").asDouble()) : "");
        return new Result(summary, m.params(), m.spec());
    }

    /** Trains into {@code run}, from {@code initial} or continuing {@code from}. */
    private Result train(JavaSparkContext jsc, Splits data, RunDirectory run, double[] initial, Optional<Checkpoint> from)
            throws IOException {
        DistributedDataset train = data.train(), test = data.test();
        String dataDir = data.source();
        String runDir = run.path().toString();
        ModelSpec spec = spec(train);
        Network net = spec.network();
        long seed = settings.get(Keys.SEED);
        String method = settings.get(Keys.OPTIMIZER);
        boolean varpro = method.equals("sgn-varpro");
        // sgd-sgn-varpro minimises variable projection's objective in both of its phases
        boolean hybrid = method.equals("sgd-sgn-varpro");
        List<Regularizer> regularizers = regularizers(net, varpro || hybrid);
        // translations wrap around: every block of the network convolves with the periodic boundary condition
        Augmentation augmentation = new Augmentation(settings.get(Keys.AUGMENT_SHIFT), settings.get(Keys.AUGMENT_FLIP),
                Boundary.PERIODIC, settings.get(Keys.LABEL_SMOOTHING), seed);
        SparkObjective objective = new SparkObjective(new DistributedObjective(jsc, spec, hook), train, net, regularizers,
                augmentation);
        if (initial != null && initial.length != net.paramCount()) {
            throw new IllegalArgumentException("initial parameters have " + initial.length + " entries, the network "
                    + net.paramCount());
        }
        double[] theta = initial != null ? initial.clone() : net.init(seed);
        Sampler sampler = new Sampler(seed, train.shards(), settings.get(Keys.BATCH_SIZE));
        boolean firstOrder = method.equals("sgd") || method.equals("adam");
        long maxSteps = settings.get(Keys.MAX_STEPS) > 0 ? settings.get(Keys.MAX_STEPS) : Long.MAX_VALUE;
        // the hybrid's budget is the examples sgd processes in train.epochs epochs of whole mini-batches (a little under
        // train.epochs passes when the batch does not divide N), so the two spend the same data
        Optimizer.Budget budget = firstOrder
                ? Optimizer.Budget.iterations(Math.min(maxSteps, (long) settings.get(Keys.EPOCHS) * sampler.stepsPerEpoch()))
                : new Optimizer.Budget(maxSteps, hybrid ? (double) settings.get(Keys.EPOCHS) * sampler.stepsPerEpoch()
                * settings.get(Keys.BATCH_SIZE) / sampler.examples() : settings.get(Keys.EPOCHS));
        long hybridFirstSteps = Math.max(1, Math.round((settings.get(Keys.EPOCHS) - settings.get(Keys.HYBRID_GN_PASSES))
                * sampler.stepsPerEpoch()));
        List<String> progress0 = new ArrayList<>();
        if (varpro || hybrid) {
            if (settings.get(Keys.CLASSIFIER_SMOOTHNESS_WEIGHT) > 0) {
                throw new IllegalArgumentException("train.classifier-smoothness-weight is not supported with " + method
                        + " (the classifier's problem has the Tikhonov term train.classifier-tikhonov only)");
            }
            progress0.add("classifier solve: " + classifierSolveAt(net, train).name().toLowerCase(Locale.ROOT));
        }
        int off = net.classifierOffset();
        Optimizer optimizer = optimizer(method, sampler, budget.iterations(), hybridFirstSteps,
                point -> variableProjection(objective, net, train, Arrays.copyOfRange(point, off, point.length)));

        VariableProjection reduced = null;
        SampledObjective optimised = objective;
        double[] x = from.map(c -> c.point().clone()).orElse(theta);
        if (varpro) {
            reduced = variableProjection(objective, net, train, from.isPresent() ? from.get().classifier()
                    : Arrays.copyOfRange(theta, off, theta.length));
            optimised = reduced;
            if (from.isEmpty()) {
                x = Arrays.copyOf(theta, off);
            }
        }
        if (x.length != optimised.dimension()) {
            throw new IOException(runDir + ": the checkpoint holds " + x.length + " parameters, the configured network "
                    + optimised.dimension());
        }
        if (from.isEmpty() && !run.fs().exists(run.file(RunDirectory.CONFIG))) {
            run.writeConfig(settings.render());
        }
        console.printf("heatwave · %s · %d parameters · kernels %s%n", spec, net.paramCount(),
                Simd.available() ? "SIMD (Vector API)" : "plain loops (start the JVM with " + Simd.JVM_OPTION + " for SIMD)");
        if (!spec.input().isNone()) {
            console.println("input standardisation: " + spec.input());
        }
        console.printf("data %s: %d training / %d test images in %d shards on %d partitions · master %s · run %s%n", dataDir,
                train.count(), test == null ? 0 : test.count(), train.shards().count(), train.partitions(), jsc.master(), runDir);
        console.printf("optimiser %s%s%s%n", method, hybrid ? hybridPhases(hybridFirstSteps, budget, sampler) : "",
                firstOrder ? " · " + settings.get(Keys.EPOCHS) + " epochs of " + sampler.stepsPerEpoch()
                + " steps" : String.format(Locale.ROOT, " · %d data passes · sample %d, resampled every %d iterations · CG %d%s",
                settings.get(Keys.EPOCHS), settings.get(Keys.SAMPLE_SIZE), settings.get(Keys.RESAMPLE_EVERY),
                settings.get(Keys.CG_ITERATIONS), !method.equals("lbfgs") && settings.get(Keys.CURVATURE_SAMPLE) > 0
                        && settings.get(Keys.CURVATURE_SAMPLE) < settings.get(Keys.SAMPLE_SIZE)
                        ? " over a curvature subsample of " + settings.get(Keys.CURVATURE_SAMPLE) : ""));

        Progress progress = new Progress(console, settings.get(Keys.LOG_HEARTBEAT_SECONDS));
        objective.onPhase(progress::working);
        if (!regularizers.isEmpty()) {
            progress.line("regularisers: " + regularizers.stream().map(Regularizer::describe).toList());
        }
        if (!augmentation.isIdentity()) {
            progress.line("augmentation: " + augmentation.describe());
        }
        progress0.forEach(progress::line);
        TrainingCurves curves = new TrainingCurves();
        // a fixed sample of training examples whose loss is evaluated at the checkpoints (log.train-eval-examples)
        int[] trainEvalSample = settings.get(Keys.TRAIN_EVAL_EXAMPLES) > 0
                ? sampler.sample(TRAIN_EVAL_SAMPLE, Math.min(settings.get(Keys.TRAIN_EVAL_EXAMPLES), train.count())) : null;
        final VariableProjection vp = reduced;
        TrainingLog.Checkpointer checkpointer = (step, point, state, logState, metrics) -> run.writeCheckpoint(
                new Checkpoint(step, point.clone(), vp == null ? null : vp.classifier(), state, logState, metrics),
                settings.get(Keys.CHECKPOINT_KEEP));
        TrainingLog log;
        String stop;
        byte[] metricsSoFar = from.map(Checkpoint::metrics).orElse(new byte[0]);
        try (FSDataOutputStream metricsOut = run.metrics(metricsSoFar)) {
            log = new TrainingLog(settings, method, firstOrder || hybrid ? sampler.stepsPerEpoch() : 0,
                    firstOrder ? budget.iterations() : hybrid ? hybridFirstSteps : 0, budget, progress, metricsOut, curves,
                    net, objective, test, train.count(), trainEvalSample, reduced, checkpointer);
            if (from.isPresent()) {
                log.restore(from.get().log(), metricsSoFar);
                progress.resumeAt(from.get().log().path("elapsed_seconds").asDouble());
            } else {
                log.start(theta);
            }
            try {
                stop = optimizer.minimize(optimised, x, budget, log, from.map(Checkpoint::optimizer).orElse(null)).stop();
            } finally {
                objective.releaseTasks();
            }
            theta = varpro ? reduced.assemble(x) : x;
            log.finish(theta);
        }
        double trainSeconds = log.trainSeconds();
        TrainingLog.Totals state = log.totals();
        LossResult testResult = state.test();

        ObjectNode summary = Json.object();
        if (testResult != null) {
            summary.put("test_accuracy", testResult.accuracy());
            summary.put("test_loss", testResult.meanLoss());
            summary.put("test_images", testResult.count());
        }
        summary.put("train_loss", state.lastLoss());
        summary.put("train_accuracy", state.lastAccuracy());
        summary.put("optimizer", method);
        summary.put("epochs", firstOrder ? state.epochs() : (int) Math.ceil(state.passes()));
        summary.put("data_passes", state.passes());
        summary.put("steps", state.iterations());
        summary.put("stop", stop);
        summary.put("train_images", Math.round(state.passes() * train.count()));
        summary.put("train_seconds", trainSeconds);
        summary.put("train_images_per_second", state.passes() * train.count() / Math.max(trainSeconds, 1e-9));
        summary.put("wall_seconds", progress.elapsedSeconds());
        summary.put("params", net.paramCount());
        summary.put("spark_master", jsc.master());
        summary.put("partitions", train.partitions());
        summary.put("shards", train.shards().count());
        summary.put("seed", seed);
        summary.put("batch_size", settings.get(Keys.BATCH_SIZE));
        summary.put("model", spec.toString());
        summary.put("data", dataDir);
        from.ifPresent(c -> summary.put("resumed_after_step", c.step()));

        ObjectNode metadata = data.describe();
        metadata.put("seed", seed).put("steps", state.iterations()).put("epochs", state.epochs())
                .put("data", dataDir).put("optimizer", method);
        if (testResult != null) {
            metadata.put("test_accuracy", testResult.accuracy());
        }
        finish(run, spec, theta, metadata, summary, curves.png(spec.architecture() + " " + Arrays.toString(spec.widths())
                + " · " + method), jsc.hadoopConfiguration());
        console.printf(Locale.ROOT, "done · %s%.2f data passes in %.1f s · model %s/model%n", testResult == null ? ""
                : String.format(Locale.ROOT, "test accuracy %.2f%% · ", 100 * testResult.accuracy()), state.passes(),
                trainSeconds, runDir);
        return new Result(summary, theta, spec);
    }

    /**
     * A finished run's outputs, {@value RunDirectory#SUCCESS} last: the model (a killed run's model without
     * {@value RunDirectory#SUCCESS} is written again from the same θ), the summary, the training curves.
     */
    private static void finish(RunDirectory run, ModelSpec spec, double[] theta, ObjectNode metadata, ObjectNode summary,
                               byte[] curvesPng, Configuration conf) throws IOException {
        Path model = run.file("model");
        if (run.fs().exists(model)) {
            run.fs().delete(model, true);
        }
        ModelIO.save(model.toString(), spec, theta, metadata, conf);
        AtomicFiles.writeText(run.fs(), run.file("summary.json"), Json.PRETTY.writeValueAsString(summary) + "\n");
        AtomicFiles.writeBytesAtomically(run.fs(), run.file("training.png"), curvesPng);
        run.markFinished();
    }

    /** Where variable projection's classifier problem is solved: {@code train.classifier-solve}, or chosen by size. */
    private SparkObjective.ClassifierSolveAt classifierSolveAt(Network net, DistributedDataset train) {
        return settings.get(Keys.CLASSIFIER_SOLVE).equals("auto")
                ? SparkObjective.ClassifierSolveAt.auto(Math.min(settings.get(Keys.SAMPLE_SIZE), train.count()), net.features().output())
                : SparkObjective.ClassifierSolveAt.valueOf(settings.get(Keys.CLASSIFIER_SOLVE).toUpperCase(Locale.ROOT));
    }

    /** Variable projection on {@code objective} (whose regularisers are {@link #regularizers}' for it), its inner solve from {@code classifier}. */
    private VariableProjection variableProjection(SparkObjective objective, Network net, DistributedDataset train, double[] classifier) {
        return new VariableProjection(objective, objective.features(classifierSolveAt(net, train)), new ClassifierSolve(net.classifier(),
                settings.get(Keys.CLASSIFIER_TIKHONOV), settings.get(Keys.CLASSIFIER_TOLERANCE), settings.get(Keys.CLASSIFIER_ITERATIONS)),
                featureRegularizers(net), classifier);
    }

    /**
     * For sgd-sgn-varpro: the final classifier solve takes its examples from {@code train.hybrid-gn-passes} (up to a mini-batch, the
     * rounding of the sgd phase to whole steps): a larger sample would run past the budget sgd has, so it is refused before
     * anything trains, with the largest sample that fits these {@code n} training examples.
     */
    private void requireClassifierSampleWithinTheSecondPhase(int n) {
        if (!settings.get(Keys.OPTIMIZER).equals("sgd-sgn-varpro")) {
            return;
        }
        int m = Math.min(settings.get(Keys.HYBRID_CLASSIFIER_SAMPLE), n);
        double gn = settings.get(Keys.HYBRID_GN_PASSES);
        if (m > Math.floor(gn * n) + settings.get(Keys.BATCH_SIZE)) {
            throw new ConfigurationException(String.format(Locale.ROOT, "train.hybrid-classifier-sample = %d is %.2f passes of the %d "
                    + "training examples, more than the %s passes train.hybrid-gn-passes leaves after sgd: make it at most %d, or "
                    + "train.hybrid-gn-passes larger", settings.get(Keys.HYBRID_CLASSIFIER_SAMPLE), m / (double) n, n, gn,
                    (long) Math.floor(gn * n)));
        }
    }

    /**
     * The hybrid's phases as its run will take them, for the console: the SGD steps, the Gauss–Newton phase's passes
     * (none when the final classifier solve fills {@code train.hybrid-gn-passes}) and the final classifier solve.
     */
    private String hybridPhases(long firstSteps, Optimizer.Budget budget, Sampler sampler) {
        int batch = settings.get(Keys.BATCH_SIZE);
        int last = Math.min(settings.get(Keys.HYBRID_CLASSIFIER_SAMPLE), sampler.examples());
        double gnPasses = Hybrid.secondPhasePasses(budget.dataPasses(), firstSteps * batch, last, sampler.examples());
        String solve = String.format(Locale.ROOT, "the classifier solved on %d examples (%.2f passes)", last,
                last / (double) sampler.examples());
        String gn = String.format(Locale.ROOT, "sgn-varpro for %.2f passes", gnPasses);
        return String.format(Locale.ROOT, " · sgd for %d steps of %d, then %s", firstSteps, batch, last == 0 ? gn
                : gnPasses > 0 ? gn + ", then " + solve
                : solve + ": no Gauss–Newton iteration fits in train.hybrid-gn-passes = " + settings.get(Keys.HYBRID_GN_PASSES));
    }

    /**
     * The optimiser {@code train.optimizer} names, over the samples of {@code sampler}; a first-order method's schedule
     * spans {@code totalSteps}, the hybrid's SGD phase {@code hybridFirstSteps}, after which it optimises {@code reduce}'s
     * variable projection.
     */
    private Optimizer optimizer(String method, Sampler sampler, long totalSteps, long hybridFirstSteps,
                                java.util.function.Function<double[], ReducedObjective> reduce) {
        boolean hybrid = method.equals("sgd-sgn-varpro");
        LearningRate lr = new LearningRate(settings.get(Keys.LEARNING_RATE), settings.get(Keys.SCHEDULE),
                Math.round(settings.get(Keys.WARMUP_EPOCHS) * sampler.stepsPerEpoch()), hybrid ? hybridFirstSteps : totalSteps);
        int sampleSize = Math.min(settings.get(Keys.SAMPLE_SIZE), sampler.examples());
        SampleSchedule samples = new SampleSchedule(sampler, sampleSize, settings.get(Keys.RESAMPLE_EVERY),
                Math.min(settings.get(Keys.CURVATURE_SAMPLE), sampleSize));
        GaussNewton.Settings gn = new GaussNewton.Settings(settings.get(Keys.GLOBALIZATION), settings.get(Keys.DAMPING),
                settings.get(Keys.TRUST_RADIUS), settings.get(Keys.CG_TOLERANCE), settings.get(Keys.CG_ITERATIONS),
                settings.get(Keys.DAMPING_MIN));
        Optimizer sgd = new StochasticGradient<>("sgd", SgdMomentum.withoutDecay(settings.get(Keys.MOMENTUM), settings.get(Keys.NESTEROV)),
                sampler, lr);
        return switch (method) {
            case "sgd" -> sgd;
            case "adam" -> new StochasticGradient<>("adam", new Adam(), sampler, lr);
            case "lbfgs" -> new Lbfgs(settings.get(Keys.LBFGS_MEMORY), samples);
            case "sgn", "sgn-varpro" -> new GaussNewton(method, samples, gn);
            case "sgd-sgn-varpro" -> new Hybrid(method, sgd, hybridFirstSteps, new GaussNewton("sgn-varpro", samples, gn), reduce,
                    settings.get(Keys.HYBRID_CLASSIFIER_SAMPLE) == 0 ? new int[0] : sampler.sample(FINAL_CLASSIFIER_SAMPLE,
                            Math.min(settings.get(Keys.HYBRID_CLASSIFIER_SAMPLE), sampler.examples())));
            default -> throw new IllegalArgumentException("unknown optimizer " + method);
        };
    }

    /**
     * The objective's regularisers: weight decay ½λ‖θ‖² on stencils and weights (for sgn-varpro not on the
     * classifier, whose problem has its own α), smoothness in time, smoothness of the full head.
     */
    private List<Regularizer> regularizers(Network net, boolean varpro) {
        List<Regularizer> out = new ArrayList<>(varpro ? featureRegularizers(net) : List.of());
        if (!varpro) {
            if (settings.get(Keys.WEIGHT_DECAY) > 0) {
                out.add(new Tikhonov(settings.get(Keys.WEIGHT_DECAY), net.weightDecayMask()));
            }
            out.addAll(net.regularizers(settings.timeSmoothness(),
                    settings.timeSmoothness() == null ? 0 : settings.get(Keys.TIME_SMOOTHNESS_WEIGHT),
                    settings.get(Keys.TIME_SMOOTHNESS_EPSILON),
                    settings.get(Keys.CLASSIFIER_SMOOTHNESS_WEIGHT)));
        } else {
            boolean[] classifier = new boolean[net.paramCount()];
            Arrays.fill(classifier, net.classifierOffset(), net.paramCount(), true);
            out.add(new Tikhonov(settings.get(Keys.CLASSIFIER_TIKHONOV), classifier,
                    "the classifier (" + Keys.CLASSIFIER_TIKHONOV.key() + ")"));
        }
        return out;
    }

    /** Regularisers of the feature parameters only (variable projection's R(θ_f)). */
    private List<Regularizer> featureRegularizers(Network net) {
        List<Regularizer> out = new ArrayList<>();
        if (settings.get(Keys.WEIGHT_DECAY) > 0) {
            boolean[] mask = net.weightDecayMask();
            Arrays.fill(mask, net.classifierOffset(), mask.length, false);
            out.add(new Tikhonov(settings.get(Keys.WEIGHT_DECAY), mask, "the features (" + Keys.WEIGHT_DECAY.key() + ")"));
        }
        out.addAll(net.regularizers(settings.timeSmoothness(),
                settings.timeSmoothness() == null ? 0 : settings.get(Keys.TIME_SMOOTHNESS_WEIGHT),
                settings.get(Keys.TIME_SMOOTHNESS_EPSILON), 0));
        return out;
    }
}
