package org.heatwave.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One setting of heatwave, declared once: its HOCON key, its type, its default, the values it allows and its
 * documentation (the pattern of Spark's {@code SQLConf.buildConf(…).doc(…).intConf.checkValue(…)}). Everything
 * else is derived from the declarations in {@link Keys}: the defaults every configuration file is layered over,
 * the validation of a loaded configuration (an invalid value is an error naming the key, the value and what is
 * allowed), the Spark ML Params of the estimator and the README's key table.
 *
 * <p>Values are immutable: numbers, booleans, strings, choices (a Java value named by a config word) and lists
 * of integers or strings.
 *
 * @param <T> the type of the setting's value
 */
public final class Setting<T> {
    /** The setting's type, as HOCON and Spark ML Params see it. */
    public enum Type { INT, LONG, DOUBLE, BOOLEAN, STRING, CHOICE, INT_LIST, STRING_LIST }

    private final String key;
    private final Type type;
    private final T defaultValue;
    private final String allowed;
    private final Predicate<T> check;
    private final Map<String, T> choices;
    private final String doc;

    private Setting(String key, Type type, T defaultValue, String allowed, Predicate<T> check, Map<String, T> choices,
                    String doc) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.check = check;
        this.choices = choices;
        this.doc = doc;
        if (!check.test(defaultValue)) {
            throw new IllegalStateException(key + ": the default " + defaultValue + " is not " + allowed);
        }
    }

    /** An integer setting within {@code [min, max]}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        String allowed = max == Integer.MAX_VALUE ? (min == 0 ? ">= 0" : min == 1 ? "> 0" : ">= " + min)
                : "in [" + min + ", " + max + "]";
        return new Setting<>(key, Type.INT, defaultValue, allowed, v -> v >= min && v <= max, null, doc);
    }

    /** A long integer setting {@code >= min} ({@link Long#MIN_VALUE}: any). */
    public static Setting<Long> longInteger(String key, long defaultValue, long min, String doc) {
        return new Setting<>(key, Type.LONG, defaultValue, min == Long.MIN_VALUE ? "an integer" : ">= " + min,
                v -> v >= min, null, doc);
    }

    /** A finite real setting within {@code range}. */
    public static Setting<Double> real(String key, double defaultValue, Range range, String doc) {
        return new Setting<>(key, Type.DOUBLE, defaultValue, range.toString(), range::contains, null, doc);
    }

    /** A true/false setting. */
    public static Setting<Boolean> flag(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Type.BOOLEAN, defaultValue, "true or false", v -> true, null, doc);
    }

    /** A free text setting (a path, a URI, a master URL, a pattern checked where it is used). */
    public static Setting<String> text(String key, String defaultValue, String doc) {
        return new Setting<>(key, Type.STRING, defaultValue, "text", v -> true, null, doc);
    }

    /** One of the given words. */
    public static Setting<String> oneOf(String key, String defaultValue, List<String> words, String doc) {
        Map<String, String> choices = new LinkedHashMap<>();
        words.forEach(w -> choices.put(w, w));
        return choice(key, defaultValue, choices, doc);
    }

    /** The config words of an enum's constants: lower case, {@code -} for {@code _}. */
    public static <E extends Enum<E>> List<String> words(Class<E> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(Setting::word).toList();
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * One of an enum's constants, each named in configurations by its lower-case name with {@code -} for
     * {@code _} ({@code LINE_SEARCH} is {@code line-search}).
     */
    public static <E extends Enum<E>> Setting<E> oneOf(String key, E defaultValue, Class<E> type, String doc) {
        Map<String, E> choices = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            choices.put(word(e), e);
        }
        return choice(key, defaultValue, choices, doc);
    }

    /** One of the values of {@code choices}, each named by its key there. */
    public static <T> Setting<T> choice(String key, T defaultValue, Map<String, T> choices, String doc) {
        Map<String, T> copy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        return new Setting<>(key, Type.CHOICE, defaultValue, "one of " + String.join(", ", copy.keySet()),
                copy::containsValue, copy, doc);
    }

    /** A list of integers, each {@code >= min}, at least {@code minSize} of them. */
    public static Setting<List<Integer>> intList(String key, List<Integer> defaultValue, int min, int minSize, String doc) {
        String allowed = (minSize > 0 ? "a non-empty list" : "a list") + " of integers >= " + min;
        return new Setting<>(key, Type.INT_LIST, List.copyOf(defaultValue), allowed,
                v -> v.size() >= minSize && v.stream().allMatch(x -> x >= min), null, doc);
    }

    /** A list of words, at least {@code minSize} of them (each checked where it is used). */
    public static Setting<List<String>> stringList(String key, List<String> defaultValue, int minSize, String doc) {
        return new Setting<>(key, Type.STRING_LIST, List.copyOf(defaultValue),
                minSize > 0 ? "a non-empty list of strings" : "a list of strings", v -> v.size() >= minSize, null, doc);
    }

    /** The HOCON path, e.g. {@code train.batch-size}. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** What the setting allows, as a phrase: {@code "> 0"}, {@code "in [0, 1)"}, {@code "one of sgd, adam"}. */
    public String allowed() {
        return allowed;
    }

    public String doc() {
        return doc;
    }

    /** For a choice: its words in order, each with the value it names; otherwise empty. */
    public Map<String, T> choices() {
        return choices == null ? Map.of() : choices;
    }

    /**
     * The name of the setting in Spark ML and Java APIs: the last part of the key in lower camel case
     * ({@code train.batch-size} is {@code batchSize}), unless {@link Keys} names it otherwise.
     */
    public String paramName() {
        return Keys.paramName(this);
    }

    /** Whether {@code value} is allowed. */
    public boolean isValid(T value) {
        return value != null && check.test(value);
    }

    /**
     * The value in {@code config}, type-checked and range-checked.
     *
     * @throws ConfigurationException naming the key, the value found and what is allowed
     */
    public T read(Config config) {
        T value;
        try {
            value = readRaw(config);
        } catch (ConfigException e) {
            throw new ConfigurationException(key + " must be " + typePhrase() + ": " + e.getMessage(), e);
        }
        if (!check.test(value)) {
            throw new ConfigurationException(key + " must be " + allowed + ", got " + render(value));
        }
        return value;
    }

    /** The value as a HOCON value ({@code Config} accepts these from {@code parseMap}). */
    public Object toHocon(T value) {
        if (type == Type.CHOICE) {
            return wordOf(value);
        }
        return value;
    }

    /** The value as written in a configuration file. */
    public String render(T value) {
        return switch (type) {
            case STRING -> "\"" + value + "\"";
            case CHOICE -> "\"" + wordOf(value) + "\"";
            case STRING_LIST -> ((List<?>) value).stream().map(v -> "\"" + v + "\"").toList().toString();
            default -> String.valueOf(value);
        };
    }

    /** The config word of a choice's value. */
    public String wordOf(T value) {
        for (Map.Entry<String, T> e : choices.entrySet()) {
            if (e.getValue().equals(value)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException(key + " has no word for " + value);
    }

    /** The value a choice's {@code word} names. */
    public T valueOf(String word) {
        T v = choices().get(word);
        if (v == null) {
            throw new ConfigurationException(key + " must be " + allowed + ", got '" + word + "'");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private T readRaw(Config config) {
        return switch (type) {
            case INT -> {
                long v = config.getLong(key);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new ConfigurationException(key + " must be " + allowed + ", got " + v);
                }
                yield (T) Integer.valueOf((int) v);
            }
            case LONG -> (T) Long.valueOf(config.getLong(key));
            case DOUBLE -> (T) Double.valueOf(config.getDouble(key));
            case BOOLEAN -> (T) Boolean.valueOf(config.getBoolean(key));
            case STRING -> (T) config.getString(key);
            case CHOICE -> valueOf(config.getString(key));
            case INT_LIST -> (T) List.copyOf(config.getIntList(key));
            case STRING_LIST -> (T) List.copyOf(new ArrayList<>(config.getStringList(key)));
        };
    }

    private String typePhrase() {
        return switch (type) {
            case INT, LONG -> "an integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case STRING, CHOICE -> "a string";
            case INT_LIST -> "a list of integers";
            case STRING_LIST -> "a list of strings";
        };
    }

    @Override
    public String toString() {
        return key;
    }

    /** An interval of finite reals, each end open or closed (or absent). */
    public record Range(double lower, boolean lowerClosed, double upper, boolean upperClosed) {
        /** {@code [0, ∞)} */
        public static Range nonNegative() {
            return new Range(0, true, Double.POSITIVE_INFINITY, false);
        }

        /** {@code (0, ∞)} */
        public static Range positive() {
            return new Range(0, false, Double.POSITIVE_INFINITY, false);
        }

        /** {@code [lower, upper)} */
        public static Range closedOpen(double lower, double upper) {
            return new Range(lower, true, upper, false);
        }

        /** {@code (lower, upper]} */
        public static Range openClosed(double lower, double upper) {
            return new Range(lower, false, upper, true);
        }

        /** {@code (lower, upper)} */
        public static Range open(double lower, double upper) {
            return new Range(lower, false, upper, false);
        }

        public boolean contains(double v) {
            return Double.isFinite(v) && (lowerClosed ? v >= lower : v > lower) && (upperClosed ? v <= upper : v < upper);
        }

        @Override
        public String toString() {
            if (upper == Double.POSITIVE_INFINITY) {
                return (lowerClosed ? ">= " : "> ") + format(lower);
            }
            return "in " + (lowerClosed ? "[" : "(") + format(lower) + ", " + format(upper) + (upperClosed ? "]" : ")");
        }

        private static String format(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
