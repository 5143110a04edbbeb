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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.heatwave.net.Architecture;
import org.heatwave.reg.TimeSmoothness;

/**
 * The resolved configuration of a run: the user's HOCON file and {@code --set key=value} overrides layered
 * over the defaults of {@link Keys}, the one declaration of every setting. A key that {@link Keys} does not
 * declare is an error naming it; every value is read, type-checked and range-checked at load (an error names
 * the key, the value and what is allowed), then the rules that relate several keys are checked — all before
 * Spark starts. Values are read with {@link #get(Setting)}.
 */
public final class Settings {
    /** The defaults of every declared key, as a HOCON tree. */
    private static final Config REFERENCE = reference();

    private final Config config;
    private final Map<Setting<?>, Object> values = new HashMap<>();

    private Settings(Config config) {
        this.config = config;
        for (Setting<?> s : Keys.all()) {
            values.put(s, s.read(config));
        }
        checkTogether();
    }

    private static Config reference() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Setting<?> s : Keys.all()) {
            defaults.put(s.key(), hoconDefault(s));
        }
        return ConfigFactory.parseMap(defaults, "heatwave's settings (org.heatwave.pipeline.config.Keys)");
    }

    private static <T> Object hoconDefault(Setting<T> s) {
        return s.toHocon(s.defaultValue());
    }

    /** The value of {@code setting}, checked at load. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting);
        if (v == null) {
            throw new IllegalArgumentException(setting.key() + " is not a declared setting");
        }
        return (T) v;
    }

    /** A list-of-integers setting as an array. */
    public int[] ints(Setting<List<Integer>> setting) {
        return get(setting).stream().mapToInt(Integer::intValue).toArray();
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
        return resolve(user, file == null ? "" : " (in " + file + " or --set)");
    }

    /**
     * Settings from {@code values} by key (numbers, booleans, strings, lists of them — e.g. a Spark ML estimator's
     * Params), over the defaults, checked like a configuration file.
     *
     * @param where the values' origin, for messages
     * @throws ConfigurationException for unknown keys or invalid values, naming them
     */
    public static Settings of(Map<String, Object> values, String where) {
        Config user;
        try {
            user = ConfigFactory.parseMap(values, where);
        } catch (ConfigException e) {
            throw new ConfigurationException("invalid settings in " + where + ": " + e.getMessage(), e);
        }
        return resolve(user, " (in " + where + ")");
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
        return resolve(user, " (in " + where + " or --set)");
    }

    /**
     * These settings with {@code overrides} ({@code key=value}, as {@code --set}) on top — e.g. one level of a
     * multilevel schedule.
     *
     * @throws IllegalArgumentException for unknown keys or invalid values, naming them
     */
    public Settings with(List<String> overrides) {
        return resolve(parseOverrides(overrides).withFallback(config), "");
    }

    private static Settings resolve(Config user, String where) {
        try {
            return resolveUnchecked(user, where);
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static Settings resolveUnchecked(Config user, String where) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            if (!REFERENCE.hasPathOrNull(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown config key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", new TreeSet<>(unknown)) + where
                    + "; bin/heatwave settings lists every key with its default");
        }
        Config resolved = user.withFallback(REFERENCE).resolve();
        try {
            resolved.checkValid(REFERENCE);
        } catch (ConfigException.ValidationFailed e) {
            throw new IllegalArgumentException("invalid config: " + e.getMessage(), e);
        }
        return new Settings(resolved);
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

    /**
     * The rules that relate several keys, checked once every key has been read (each error names the keys):
     * the batch a multiple of the shards, the block list against the widths, one budget per multilevel level.
     */
    private void checkTogether() {
        int batch = get(Keys.BATCH_SIZE);
        int shards = get(Keys.DATA_SHARDS);
        if (batch % shards != 0) {
            throw new ConfigurationException("train.batch-size = " + batch + " is not a multiple of data.shards = " + shards
                    + " (every step takes the same number of examples from each shard)");
        }
        architecture();
        if (!get(Keys.DATA_FORMAT).equals("idx") && get(Keys.DATA_PATH).isEmpty() && get(Keys.DATA_PYRAMID).isEmpty()) {
            throw new ConfigurationException("data.format = " + get(Keys.DATA_FORMAT) + " needs data.path: "
                    + switch (get(Keys.DATA_FORMAT)) {
                        case "cifar" -> "the directory of CIFAR-10's binary files";
                        case "parquet" -> "the directory holding the train/ and test/ Parquet datasets";
                        default -> "the directory holding train/<class>/ and test/<class>/ folders of images";
                    });
        }
        List<Integer> shape = get(Keys.DATA_IMAGE_SHAPE);
        if (!shape.isEmpty() && shape.size() != 3) {
            throw new ConfigurationException("data.image-shape must be [channels, height, width], got " + shape);
        }
        List<Integer> levels = get(Keys.MULTILEVEL_LEVELS);
        List<Integer> epochs = get(Keys.MULTILEVEL_EPOCHS);
        if (levels.size() != epochs.size()) {
            throw new ConfigurationException("multilevel.epochs needs one budget per level of multilevel.levels: "
                    + levels.size() + " levels, " + epochs.size() + " budgets");
        }
        if (!levels.isEmpty() && get(Keys.DATA_PYRAMID).isEmpty()) {
            throw new ConfigurationException("multilevel.levels needs data.pyramid (bin/heatwave data restrict)");
        }
        String optimizer = get(Keys.OPTIMIZER);
        if (optimizer.equals("sgd-sgn-varpro")) {
            // every budget the hybrid runs on must leave its sgd phase something: train.epochs, and each level's
            // (checked here, not when the level starts after the levels before it have trained)
            double gn = get(Keys.HYBRID_GN_PASSES);
            if (gn >= get(Keys.EPOCHS)) {
                throw new ConfigurationException("train.hybrid-gn-passes = " + gn + " leaves nothing of train.epochs = "
                        + get(Keys.EPOCHS) + " for sgd-sgn-varpro's sgd phase: make it smaller");
            }
            for (int i = 0; i < epochs.size(); i++) {
                if (gn >= epochs.get(i)) {
                    throw new ConfigurationException("train.hybrid-gn-passes = " + gn + " leaves nothing of multilevel.epochs["
                            + i + "] = " + epochs.get(i) + " (level " + levels.get(i) + ") for sgd-sgn-varpro's sgd phase: make "
                            + "it smaller or the level's budget larger");
                }
            }
        }
        if ((get(Keys.AUGMENT_SHIFT) > 0 || get(Keys.AUGMENT_FLIP)) && !optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new ConfigurationException("train.augment-shift and train.augment-flip draw new images every epoch, which "
                    + "sgd and adam use; train.optimizer = " + optimizer + " keeps one sample's objective fixed across "
                    + "iterations: set train.augment-shift = 0 and train.augment-flip = false");
        }
    }

    /** The number of partitions to use: {@code data.partitions}, or {@code defaultParallelism} when 0. */
    public int partitions(int defaultParallelism) {
        int p = get(Keys.DATA_PARTITIONS);
        return p == 0 ? defaultParallelism : p;
    }

    /**
     * {@code model.blocks} (one block type for every width, or one per width), {@code model.weights-in-time},
     * {@code model.store-states} and {@code model.head}; an invalid value is an error naming its key.
     */
    public Architecture architecture() {
        try {
            Architecture arch = new Architecture(get(Keys.BLOCKS), get(Keys.WEIGHTS_IN_TIME), get(Keys.STORE_STATES),
                    get(Keys.HEAD));
            arch.block(0, get(Keys.WIDTHS).size());
            return arch;
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("head") ? Keys.HEAD.key()
                    : e.getMessage().startsWith("weights-in-time") ? Keys.WEIGHTS_IN_TIME.key() : Keys.BLOCKS.key();
            throw new ConfigurationException(field + ": " + e.getMessage(), e);
        }
    }

    /** {@code train.time-smoothness} as the regulariser's kind, or null for none. */
    public TimeSmoothness.Kind timeSmoothness() {
        return switch (get(Keys.TIME_SMOOTHNESS)) {
            case "quadratic" -> TimeSmoothness.Kind.QUADRATIC;
            case "tv" -> TimeSmoothness.Kind.TOTAL_VARIATION;
            default -> null;
        };
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

    /** The resolved configuration as HOCON text (written into every run directory). */
    public String render() {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

}
