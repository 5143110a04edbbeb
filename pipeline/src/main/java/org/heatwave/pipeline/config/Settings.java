package org.heatwave.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The resolved configuration of a run: the user's HOCON file and {@code --set key=value} overrides
 * layered over {@code reference.conf}, which lists every key with its default and doc. A key that
 * {@code reference.conf} does not have is an error naming it; a value of the wrong type is an error
 * naming the key and the expected type.
 */
public final class Settings {
    private final Config config;

    private Settings(Config config) {
        this.config = config;
    }

    /**
     * Loads {@code file} (may be null: defaults only) with {@code overrides} ({@code key=value}, value
     * parsed as HOCON, so {@code model.widths=[8,16]} and {@code data.path="hdfs://…"} both work).
     *
     * @throws IllegalArgumentException for unknown keys, malformed overrides or unreadable files
     */
    public static Settings load(File file, List<String> overrides) {
        try {
            return loadUnchecked(file, overrides);
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static Settings loadUnchecked(File file, List<String> overrides) {
        Config reference = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!file.isFile()) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            try {
                user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
            }
        }
        user = parseOverrides(overrides).withFallback(user);
        return resolve(user, reference, file == null ? "" : " (in " + file + " or --set)");
    }

    /**
     * Settings from HOCON {@code text} (a run's {@code config.conf}), over the defaults.
     *
     * @param where the text's origin, for messages
     * @throws IllegalArgumentException for unknown keys, invalid values or unparsable text, naming {@code where}
     */
    public static Settings parse(String text, String where) {
        return parse(text, where, List.of());
    }

    /** Settings from HOCON {@code text} with {@code overrides} ({@code key=value}, as {@code --set}) on top. */
    public static Settings parse(String text, String where, List<String> overrides) {
        Config reference = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
        Config user;
        try {
            user = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new ConfigurationException("cannot read config " + where + ": " + e.getMessage(), e);
        }
        try {
            user = parseOverrides(overrides).withFallback(user);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        return resolve(user, reference, " (in " + where + " or --set)");
    }

    /**
     * These settings with {@code overrides} ({@code key=value}, as {@code --set}) on top — e.g. one level of a
     * multilevel schedule.
     *
     * @throws IllegalArgumentException for unknown keys or invalid values, naming them
     */
    public Settings with(List<String> overrides) {
        Config reference = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
        return resolve(parseOverrides(overrides).withFallback(config), reference, "");
    }

    private static Settings resolve(Config user, Config reference, String where) {
        try {
            return resolveUnchecked(user, reference, where);
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static Settings resolveUnchecked(Config user, Config reference, String where) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            if (!reference.hasPathOrNull(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown config key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", new TreeSet<>(unknown)) + where
                    + "; every key is listed with its default in reference.conf");
        }
        Config resolved = user.withFallback(reference).resolve();
        try {
            resolved.checkValid(reference);
        } catch (ConfigException.ValidationFailed e) {
            throw new IllegalArgumentException("invalid config: " + e.getMessage(), e);
        }
        Settings settings = new Settings(resolved);
        settings.validate();
        return settings;
    }

    /** {@code key=value} overrides as one config, the later ones winning. */
    private static Config parseOverrides(List<String> overrides) {
        Config user = ConfigFactory.empty();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value but got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            Config one;
            try {
                one = ConfigFactory.parseString(key + " = " + quoteIfNeeded(value),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("cannot parse --set " + o + ": " + e.getMessage(), e);
            }
            user = one.withFallback(user);
        }
        return user;
    }

    /** Reads every key once through its typed accessor, so a bad value fails at load, naming its key. */
    private void validate() {
        seed();
        sparkMaster();
        dataName();
        dataPath();
        dataPreparedDir();
        partitions();
        shards();
        trainLimit();
        testLimit();
        widths();
        steps();
        stepSize();
        org.heatwave.act.Activation.parse(activation());
        normalization();
        architecture();
        timeSmoothness();
        timeSmoothnessWeight();
        timeSmoothnessEpsilon();
        classifierSmoothnessWeight();
        batchNormMomentum();
        epochs();
        batchSize();
        learningRate();
        schedule();
        warmupEpochs();
        momentum();
        weightDecay();
        maxSteps();
        checkpointEvery();
        checkpointMinutes();
        checkpointKeep();
        optimizer();
        nesterov();
        sampleSize();
        resampleEvery();
        cgIterations();
        cgTolerance();
        globalization();
        damping();
        trustRadius();
        lbfgsMemory();
        classifierSolve();
        classifierTikhonov();
        classifierTolerance();
        classifierIterations();
        evalEveryPasses();
        trainEvalExamples();
        dataPyramid();
        dataLevel();
        multilevelEpochs();
        logEverySteps();
        multilevelLevels();
        multilevelKernels();
        multilevelRefineDepth();
    }

    /** Values that are not valid HOCON on their own (paths, URIs) are taken as strings. */
    private static String quoteIfNeeded(String value) {
        try {
            ConfigFactory.parseString("k = " + value);
            return value;
        } catch (ConfigException e) {
            return ConfigValueFactory.fromAnyRef(value).render(ConfigRenderOptions.concise());
        }
    }

    public long seed() {
        return getLong("seed");
    }

    public String sparkMaster() {
        return getString("spark.master");
    }

    public String dataName() {
        return getString("data.name");
    }

    /**
     * {@code multilevel.levels}: the pyramid levels to train on in order, coarsest first (empty: one level,
     * {@code data.level}), checked against {@code multilevel.epochs} (one budget per level) and
     * {@code data.pyramid}.
     */
    public int[] multilevelLevels() {
        int[] levels = intList("multilevel.levels");
        int[] epochs = intList("multilevel.epochs");
        if (levels.length != epochs.length) {
            throw new IllegalArgumentException("multilevel.epochs needs one budget per level of multilevel.levels: "
                    + levels.length + " levels, " + epochs.length + " budgets");
        }
        for (int i = 0; i < levels.length; i++) {
            if (levels[i] < 0 || epochs[i] < 1) {
                throw new IllegalArgumentException("multilevel.levels must be >= 0 and multilevel.epochs >= 1, got level "
                        + levels[i] + " with " + epochs[i]);
            }
        }
        if (levels.length > 0 && dataPyramid().isEmpty()) {
            throw new IllegalArgumentException("multilevel.levels needs data.pyramid (bin/heatwave data restrict)");
        }
        return levels;
    }

    /** {@code multilevel.epochs}: the training budget of each level (epochs, or data passes for lbfgs/sgn). */
    public int[] multilevelEpochs() {
        return intList("multilevel.epochs");
    }

    /** {@code multilevel.kernels}: how stencils move between levels. */
    public org.heatwave.multilevel.NetworkTransfer.Kernels multilevelKernels() {
        return org.heatwave.multilevel.NetworkTransfer.Kernels.parse(getString("multilevel.kernels"));
    }

    /** {@code multilevel.refine-depth}: refine the blocks in depth (2nt steps of h/2) at every level change. */
    public boolean multilevelRefineDepth() {
        try {
            return config.getBoolean("multilevel.refine-depth");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("multilevel.refine-depth must be true or false: " + e.getMessage(), e);
        }
    }

    private int[] intList(String key) {
        try {
            return config.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + " must be a list of integers: " + e.getMessage(), e);
        }
    }

    /** {@code data.pyramid}: the URI of a dataset pyramid ({@code data restrict}), or empty. */
    public String dataPyramid() {
        return getString("data.pyramid");
    }

    /** {@code data.level}: the pyramid level to train on (0 = the images as read). */
    public int dataLevel() {
        return nonNegativeInt("data.level");
    }

    /** {@code data.prepared-dir}: where IDX sources are converted once to Parquet ("" = read them directly). */
    public String dataPreparedDir() {
        return getString("data.prepared-dir");
    }

    public String dataPath() {
        return getString("data.path");
    }

    public int partitions() {
        return nonNegativeInt("data.partitions");
    }

    /**
     * {@code data.shards}: the number of shards the data is split into, the unit of reproducibility (a result
     * depends on it, never on the partitioning); the training batch size must be a multiple of it.
     */
    public int shards() {
        return positiveInt("data.shards");
    }

    /** The number of partitions to use: {@code data.partitions}, or {@code defaultParallelism} when 0. */
    public int partitions(int defaultParallelism) {
        return partitions() == 0 ? defaultParallelism : partitions();
    }

    public int trainLimit() {
        return nonNegativeInt("data.train-limit");
    }

    public int testLimit() {
        return nonNegativeInt("data.test-limit");
    }

    public int[] widths() {
        List<Integer> w;
        try {
            w = config.getIntList("model.widths");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("model.widths: " + e.getMessage(), e);
        }
        if (w.isEmpty() || w.stream().anyMatch(x -> x <= 0)) {
            throw new IllegalArgumentException("model.widths must be a non-empty list of positive widths, got " + w);
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    public int steps() {
        return positiveInt("model.steps");
    }

    public double stepSize() {
        return positiveDouble("model.step-size");
    }

    public String activation() {
        return getString("model.activation");
    }

    /**
     * {@code model.blocks} (one block type for every width, or one per width), {@code model.weights-in-time},
     * {@code model.store-states} and {@code model.head}; an invalid value is an error naming its key.
     */
    public org.heatwave.net.Architecture architecture() {
        List<String> blocks;
        try {
            blocks = config.getStringList("model.blocks");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("model.blocks: " + e.getMessage(), e);
        }
        String time = getString("model.weights-in-time");
        boolean store;
        try {
            store = config.getBoolean("model.store-states");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("model.store-states must be true or false: " + e.getMessage(), e);
        }
        String head = getString("model.head");
        try {
            org.heatwave.net.Architecture arch = new org.heatwave.net.Architecture(blocks, time, store, head);
            arch.block(0, widths().length);
            return arch;
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("head") ? "model.head"
                    : e.getMessage().startsWith("weights-in-time") ? "model.weights-in-time" : "model.blocks";
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    /** {@code train.time-smoothness}: none (null) | quadratic | tv. */
    public org.heatwave.reg.TimeSmoothness.Kind timeSmoothness() {
        String v = getString("train.time-smoothness");
        return switch (v) {
            case "none" -> null;
            case "quadratic" -> org.heatwave.reg.TimeSmoothness.Kind.QUADRATIC;
            case "tv" -> org.heatwave.reg.TimeSmoothness.Kind.TOTAL_VARIATION;
            default -> throw new IllegalArgumentException("train.time-smoothness must be none, quadratic or tv, got '" + v + "'");
        };
    }

    public double timeSmoothnessWeight() {
        return nonNegativeDouble("train.time-smoothness-weight");
    }

    public double timeSmoothnessEpsilon() {
        return positiveDouble("train.time-smoothness-epsilon");
    }

    public double classifierSmoothnessWeight() {
        return nonNegativeDouble("train.classifier-smoothness-weight");
    }

    /** {@code model.normalization}: instance | layer | batch. */
    public org.heatwave.layer.Normalization normalization() {
        return org.heatwave.pipeline.model.ModelSpec.parseNormalization(getString("model.normalization"), "model.normalization");
    }

    /** {@code train.batch-norm-momentum}, in (0, 1]. */
    public double batchNormMomentum() {
        double m = getDouble("train.batch-norm-momentum");
        if (!(m > 0 && m <= 1)) {
            throw new IllegalArgumentException("train.batch-norm-momentum must be in (0, 1], got " + m);
        }
        return m;
    }

    public int epochs() {
        return positiveInt("train.epochs");
    }

    public int batchSize() {
        int b = positiveInt("train.batch-size");
        if (b % shards() != 0) {
            throw new IllegalArgumentException("train.batch-size = " + b + " is not a multiple of data.shards = " + shards()
                    + " (every step takes the same number of examples from each shard)");
        }
        return b;
    }

    public double learningRate() {
        return positiveDouble("train.learning-rate");
    }

    public String schedule() {
        String s = getString("train.schedule");
        if (!s.equals("constant") && !s.equals("cosine")) {
            throw new IllegalArgumentException("train.schedule must be constant or cosine, got '" + s + "'");
        }
        return s;
    }

    public double warmupEpochs() {
        double v = getDouble("train.warmup-epochs");
        if (!(v >= 0)) {
            throw new IllegalArgumentException("train.warmup-epochs must be >= 0, got " + v);
        }
        return v;
    }

    /** {@code train.momentum}: μ in [0, 1). */
    public double momentum() {
        double v = getDouble("train.momentum");
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("train.momentum must be in [0, 1), got " + v);
        }
        return v;
    }

    /** {@code train.weight-decay}: λ ≥ 0. */
    public double weightDecay() {
        return nonNegativeDouble("train.weight-decay");
    }

    /** {@code train.checkpoint-every}: a checkpoint after every N optimiser steps (0: not by steps). */
    public int checkpointEvery() {
        return nonNegativeInt("train.checkpoint-every");
    }

    /** {@code train.checkpoint-minutes}: a checkpoint every M minutes of training (0: not by time). */
    public double checkpointMinutes() {
        return nonNegativeDouble("train.checkpoint-minutes");
    }

    /** {@code train.checkpoint-keep}: how many of the newest checkpoints are kept (at least 1). */
    public int checkpointKeep() {
        return positiveInt("train.checkpoint-keep");
    }

    public long maxSteps() {
        long v = getLong("train.max-steps");
        if (v < 0) {
            throw new IllegalArgumentException("train.max-steps must be >= 0, got " + v);
        }
        return v;
    }

    /** The optimisers {@code train.optimizer} accepts. */
    public static final java.util.List<String> OPTIMIZERS = java.util.List.of("sgd", "adam", "lbfgs", "sgn", "sgn-varpro");

    public String optimizer() {
        String o = getString("train.optimizer");
        if (!OPTIMIZERS.contains(o)) {
            throw new IllegalArgumentException("train.optimizer must be one of " + OPTIMIZERS + ", got '" + o + "'");
        }
        return o;
    }

    public boolean nesterov() {
        return config.getBoolean("train.nesterov");
    }

    public int sampleSize() {
        return positiveInt("train.sample-size");
    }

    public int resampleEvery() {
        return positiveInt("train.resample-every");
    }

    public int cgIterations() {
        return positiveInt("train.cg-iterations");
    }

    public double cgTolerance() {
        double v = getDouble("train.cg-tolerance");
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException("train.cg-tolerance must be in (0, 1), got " + v);
        }
        return v;
    }

    public org.heatwave.opt.GaussNewton.Globalization globalization() {
        String g = getString("train.globalization");
        return switch (g) {
            case "line-search" -> org.heatwave.opt.GaussNewton.Globalization.LINE_SEARCH;
            case "trust-region" -> org.heatwave.opt.GaussNewton.Globalization.TRUST_REGION;
            default -> throw new IllegalArgumentException("train.globalization must be line-search or trust-region, got '" + g + "'");
        };
    }

    public double damping() {
        double v = getDouble("train.damping");
        if (!(v >= 0)) {
            throw new IllegalArgumentException("train.damping must be >= 0, got " + v);
        }
        return v;
    }

    public double trustRadius() {
        return positiveDouble("train.trust-radius");
    }

    public int lbfgsMemory() {
        return positiveInt("train.lbfgs-memory");
    }

    public double classifierTikhonov() {
        return positiveDouble("train.classifier-tikhonov");
    }

    public double classifierTolerance() {
        return positiveDouble("train.classifier-tolerance");
    }

    /** Where sgn-varpro solves for the classifier: auto | driver | distributed. */
    public String classifierSolve() {
        String v = getString("train.classifier-solve");
        if (!List.of("auto", "driver", "distributed").contains(v)) {
            throw new IllegalArgumentException("train.classifier-solve must be auto, driver or distributed, got '" + v + "'");
        }
        return v;
    }

    public int classifierIterations() {
        return positiveInt("train.classifier-iterations");
    }

    /** Data passes between checkpoint evaluations (test set, and the training sample below); 0 = off. */
    public double evalEveryPasses() {
        double v = getDouble("log.eval-every-passes");
        if (!(v >= 0)) {
            throw new IllegalArgumentException("log.eval-every-passes must be >= 0, got " + v);
        }
        return v;
    }

    /** Size of the fixed training sample whose loss each checkpoint evaluates; 0 = none. */
    public int trainEvalExamples() {
        int v = config.getInt("log.train-eval-examples");
        if (v < 0) {
            throw new IllegalArgumentException("log.train-eval-examples must be >= 0, got " + v);
        }
        return v;
    }

    public int logEverySteps() {
        return positiveInt("log.every-steps");
    }

    /** The resolved configuration as HOCON text (written into every run directory). */
    public String render() {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    private String getString(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private long getLong(String key) {
        try {
            return config.getLong(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + " must be an integer: " + e.getMessage(), e);
        }
    }

    private double getDouble(String key) {
        try {
            return config.getDouble(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + " must be a number: " + e.getMessage(), e);
        }
    }

    private int nonNegativeInt(String key) {
        long v = getLong(key);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be between 0 and " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }

    private int positiveInt(String key) {
        int v = nonNegativeInt(key);
        if (v == 0) {
            throw new IllegalArgumentException(key + " must be positive, got 0");
        }
        return v;
    }

    private double nonNegativeDouble(String key) {
        double v = getDouble(key);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be a number >= 0, got " + v);
        }
        return v;
    }

    private double positiveDouble(String key) {
        double v = getDouble(key);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + v);
        }
        return v;
    }
}
