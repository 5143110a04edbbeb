package org.heatwave.pipeline.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Setting;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.ImageFrames;
import scala.runtime.AbstractFunction1;

/**
 * Spark ML Params made from heatwave's setting declarations ({@link Keys}): each Param has the setting's name in
 * lower camel case ({@link Setting#paramName()}), its doc, its default and a validator from its allowed values, so
 * the estimator and the configuration files cannot disagree. In Params, choices are their config words and lists
 * are arrays; {@link #settings} turns an instance's values back into checked {@link Settings}.
 */
final class MlParams {
    private MlParams() {
    }

    /** The Param of {@code setting} owned by {@code owner} (Params are equal by owner and name). */
    static Param<?> param(Params owner, Setting<?> setting) {
        String name = setting.paramName();
        String doc = setting.doc() + " Allowed: " + setting.allowed() + ". (config key " + setting.key() + ")";
        return switch (setting.type()) {
            case INT -> new IntParam(owner, name, doc, valid(setting));
            case LONG -> new LongParam(owner, name, doc, valid(setting));
            case DOUBLE -> new DoubleParam(owner, name, doc, valid(setting));
            case BOOLEAN -> new BooleanParam(owner, name, doc);
            case STRING, CHOICE -> new Param<String>(owner, name, doc, valid(setting));
            case INT_LIST -> new IntArrayParam(owner, name, doc, valid(setting));
            case STRING_LIST -> new StringArrayParam(owner, name, doc, valid(setting));
        };
    }

    /** Sets the columns' and every estimator setting's default on {@code owner}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void setDefaults(HeatwaveParams owner) {
        owner.setDefault(owner.featuresCol(), "features");
        owner.setDefault(owner.labelCol(), "label");
        owner.setDefault(owner.predictionCol(), "prediction");
        owner.setDefault(owner.probabilityCol(), "probability");
        owner.setDefault(owner.rawPredictionCol(), "rawPrediction");
        owner.setDefault(owner.imageShape(), new int[0]);
        owner.setDefault(owner.runDir(), "");
        for (Setting<?> s : Keys.estimatorSettings()) {
            owner.setDefault((Param) param(owner, s), toParam(s, s.defaultValue()));
        }
    }

    /**
     * The settings {@code owner}'s Params describe, checked as a configuration file would be (rules that relate
     * several keys included).
     *
     * @throws org.heatwave.pipeline.config.ConfigurationException naming the Param's config key
     */
    static Settings settings(Params owner) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : Keys.estimatorSettings()) {
            values.put(s.key(), toHocon(owner.getOrDefault(param(owner, s))));
        }
        return Settings.of(values, "the estimator's params");
    }

    /**
     * {@code schema} with the output columns of {@code p} appended (prediction a double, probability and raw
     * prediction vectors; an empty column name: not written), after checking the features column exists.
     */
    static StructType outputSchema(HeatwaveParams p, StructType schema) {
        ImageFrames.field(schema, p.getFeaturesCol());
        StructType out = schema;
        for (String col : new String[] {p.getPredictionCol(), p.getProbabilityCol(), p.getRawPredictionCol()}) {
            if (col.isEmpty()) {
                continue;
            }
            if (List.of(out.fieldNames()).contains(col)) {
                throw new IllegalArgumentException("output column " + col + " exists already in the DataFrame");
            }
            out = out.add(col, col.equals(p.getPredictionCol()) ? DataTypes.DoubleType : SQLDataTypes.VectorType(), false);
        }
        return out;
    }

    /** A setting's value as its Param holds it: choices as words, lists as arrays. */
    @SuppressWarnings("unchecked")
    static <T> Object toParam(Setting<T> s, Object value) {
        return switch (s.type()) {
            case CHOICE -> s.wordOf((T) value);
            case INT_LIST -> ((List<Integer>) value).stream().mapToInt(Integer::intValue).toArray();
            case STRING_LIST -> ((List<String>) value).toArray(String[]::new);
            default -> value;
        };
    }

    /** A Param's value as HOCON takes it. */
    private static Object toHocon(Object value) {
        if (value instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        return value;
    }

    private static <P> AbstractFunction1<P, Object> valid(Setting<?> s) {
        return new Validator<>(s.key());
    }

    /** Whether {@code value} (as a Param holds it) is allowed by {@code setting}. */
    @SuppressWarnings("unchecked")
    static <T> boolean isValid(Setting<T> setting, Object value) {
        return switch (setting.type()) {
            case CHOICE -> setting.choices().containsKey((String) value);
            case STRING -> value != null;
            default -> setting.isValid((T) toHocon(value));
        };
    }

    /** The check of a setting as the Scala function Spark's Params take; holds only the key, so it serialises. */
    private static final class Validator<P> extends AbstractFunction1<P, Object> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String key;

        Validator(String key) {
            this.key = key;
        }

        @Override
        public Object apply(P value) {
            return isValid(Keys.byKey(key), value);
        }
    }
}
