package org.heatwave.pipeline.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.heatwave.layer.Layer;
import org.heatwave.net.Network;
import org.heatwave.pipeline.data.ImageFrames;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * A trained heatwave network as a Spark ML Model: {@code transform} adds the predicted class index
 * ({@code predictionCol}, a double as {@code MulticlassClassificationEvaluator} expects), the class probabilities
 * (softmax of the scores, {@code probabilityCol}) and the scores ({@code rawPredictionCol}) to every row, in
 * batches of {@value Network#INFERENCE_BATCH} images per task. It keeps the network ({@link ModelSpec}), its parameters, the class
 * names and how the features column holds images (the same preprocessing as in training).
 *
 * <p>Saved in Spark ML's layout: {@code PATH/metadata} (the Params, as every Spark ML model) and
 * {@code PATH/heatwave} (heatwave's model directory, {@link ModelIO}: the parameters with their SHA-256, the
 * architecture, the class names and the input); loading checks the checksum.
 */
public final class HeatwaveClassificationModel extends Model<HeatwaveClassificationModel>
        implements HeatwaveParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private static final String HEATWAVE_DIR = "heatwave";

    private final String uid;
    private final ModelSpec spec;
    private final double[] params;
    private final List<String> classNames;
    private final ImageFrames.Input input;
    /** Set on the model {@code fit} returns; null for a loaded model. */
    private HeatwaveTrainingSummary summary;

    HeatwaveClassificationModel(String uid, ModelSpec spec, double[] params, List<String> classNames,
                                ImageFrames.Input input) {
        this.uid = uid;
        this.spec = spec;
        this.params = params.clone();
        this.classNames = List.copyOf(classNames);
        this.input = input;
        if (classNames.size() != spec.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a network of " + spec.classes()
                    + " classes");
        }
        MlParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The network's architecture and input size. */
    public ModelSpec spec() {
        return spec;
    }

    /** A copy of the trained parameters θ. */
    public double[] parameters() {
        return params.clone();
    }

    /** The class names, index {@code i} the name of prediction {@code i}. */
    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Whether this model has a {@link #summary()}: models that {@code fit} returns do, loaded ones do not. */
    public boolean hasSummary() {
        return summary != null;
    }

    /**
     * How the model was trained: objective history, steps, data passes, the run's summary.
     *
     * @throws IllegalStateException for a loaded model (summaries are not saved, as in MLlib)
     */
    public HeatwaveTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary for model " + uid + ": only a model returned by"
                    + " HeatwaveClassifier.fit has one (a loaded model's run directory, if kept with setRunDir, holds"
                    + " metrics.jsonl and summary.json)");
        }
        return summary;
    }

    void setSummary(HeatwaveTrainingSummary summary) {
        this.summary = summary;
    }

    /** How the features column held the training images (image struct or numbers) and their shape. */
    public ImageFrames.Input input() {
        return input;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return MlParams.outputSchema(this, schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        // the model's shape: an image column must hold images of it (an error names both), numbers are read as it
        ImageFrames.Input in = ImageFrames.input(df, getFeaturesCol(), new int[] {input.channels(), input.height(),
                input.width()});
        int features = df.schema().fieldIndex(getFeaturesCol());
        boolean prediction = !getPredictionCol().isEmpty();
        boolean probability = !getProbabilityCol().isEmpty();
        boolean raw = !getRawPredictionCol().isEmpty();
        ModelSpec s = spec;
        double[] theta = params;
        JavaRDD<Row> rows = df.javaRDD().mapPartitions(it -> new Predictions(it, s, theta, in, features, prediction,
                probability, raw));
        return df.sparkSession().createDataFrame(rows, out);
    }

    /** The rows of a partition with their predictions appended, {@value Network#INFERENCE_BATCH} images per forward pass. */
    private static final class Predictions implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Network net;
        private final Layer.Bound bound;
        private final ImageFrames.Input input;
        private final int features;
        private final boolean prediction;
        private final boolean probability;
        private final boolean raw;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Predictions(Iterator<Row> rows, ModelSpec spec, double[] theta, ImageFrames.Input input, int features,
                    boolean prediction, boolean probability, boolean raw) {
            this.rows = rows;
            this.net = spec.network();
            this.bound = net.bindForInference(theta);
            this.input = input;
            this.features = features;
            this.prediction = prediction;
            this.probability = probability;
            this.raw = raw;
        }

        @Override
        public boolean hasNext() {
            if (next < ready.size()) {
                return true;
            }
            ready.clear();
            next = 0;
            List<Row> batch = new ArrayList<>(Network.INFERENCE_BATCH);
            while (batch.size() < Network.INFERENCE_BATCH && rows.hasNext()) {
                batch.add(rows.next());
            }
            if (batch.isEmpty()) {
                return false;
            }
            predict(batch);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.get(next++);
        }

        private void predict(List<Row> batch) {
            int n = batch.size(), per = input.size(), k = net.classes();
            float[] pixels = new float[n * per];
            for (int i = 0; i < n; i++) {
                Row r = batch.get(i);
                Object origin = input.imageStruct() && !r.isNullAt(features) ? r.getStruct(features).getAs("origin") : null;
                String where = origin != null ? origin.toString() : "row " + i + " of a batch";
                input.read(r, features, pixels, i * per, where);
            }
            float[] scores = net.scores(bound, new Batch(new Shape(n, input.channels(), input.height(), input.width()),
                    pixels));
            for (int i = 0; i < n; i++) {
                Row r = batch.get(i);
                double[] z = new double[k];
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    z[j] = scores[i * k + j];
                    if (z[j] > z[arg]) {
                        arg = j;
                    }
                }
                List<Object> values = new ArrayList<>(r.size() + 3);
                for (int f = 0; f < r.size(); f++) {
                    values.add(r.get(f));
                }
                if (prediction) {
                    values.add((double) arg);
                }
                if (probability) {
                    values.add(Vectors.dense(softmax(z, arg)));
                }
                if (raw) {
                    values.add(Vectors.dense(z));
                }
                ready.add(RowFactory.create(values.toArray()));
            }
        }

        private static double[] softmax(double[] z, int arg) {
            double[] p = new double[z.length];
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                p[j] = Math.exp(z[j] - z[arg]);
                sum += p[j];
            }
            for (int j = 0; j < z.length; j++) {
                p[j] /= sum;
            }
            return p;
        }
    }

    public HeatwaveClassificationModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public HeatwaveClassificationModel setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    public HeatwaveClassificationModel setProbabilityCol(String value) {
        set(probabilityCol(), value);
        return this;
    }

    public HeatwaveClassificationModel setRawPredictionCol(String value) {
        set(rawPredictionCol(), value);
        return this;
    }

    /**
     * The model in {@code dir}: a saved HeatwaveClassificationModel ({@code metadata/} and {@code heatwave/}), or
     * heatwave's model directory of a {@code bin/heatwave train} run ({@code RUN/model}: default Params; its class
     * names and input shape from the run, or {@code 0…k−1} and the network's input for older models).
     */
    public static HeatwaveClassificationModel open(SparkSession spark, String dir) throws IOException {
        Path root = new Path(dir);
        if (root.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(new Path(root, "metadata"))) {
            return read().session(spark).load(dir);
        }
        ModelIO.SavedModel saved = ModelIO.load(dir, spark.sparkContext().hadoopConfiguration());
        return fromSaved(org.apache.spark.ml.util.Identifiable.randomUID("heatwave"), saved);
    }

    /** A model from heatwave's model directory: class names and input from its metadata when it has them. */
    private static HeatwaveClassificationModel fromSaved(String uid, ModelIO.SavedModel saved) {
        JsonNode m = saved.metadata();
        List<String> names = new ArrayList<>();
        m.path("class_names").forEach(n -> names.add(n.asText()));
        if (names.isEmpty()) {
            for (int i = 0; i < saved.spec().classes(); i++) {
                names.add(String.valueOf(i));
            }
        }
        JsonNode in = m.path("input");
        ModelSpec spec = saved.spec();
        ImageFrames.Input input = new ImageFrames.Input(in.path("image_struct").asBoolean(false),
                in.path("channels").asInt(spec.channels()), in.path("height").asInt(spec.height()),
                in.path("width").asInt(spec.width()));
        return new HeatwaveClassificationModel(uid, spec, saved.params(), names, input);
    }

    @Override
    public HeatwaveClassificationModel copy(ParamMap extra) {
        HeatwaveClassificationModel copy = new HeatwaveClassificationModel(uid, spec, params, classNames, input);
        copy.summary = summary;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<HeatwaveClassificationModel> read() {
        return new Reader();
    }

    public static HeatwaveClassificationModel load(String path) {
        return read().load(path);
    }

    /** Spark ML's metadata (the Params), then heatwave's model directory with the class names and the input. */
    private static final class Writer extends MLWriter {
        private final HeatwaveClassificationModel model;

        Writer(HeatwaveClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            ObjectNode metadata = ImageFrames.describe(model.classNames, model.input);
            try {
                ModelIO.save(new Path(path, HEATWAVE_DIR).toString(), model.spec, model.params, metadata,
                        sparkSession().sparkContext().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Reader extends MLReader<HeatwaveClassificationModel> {
        /** That {@code path} holds Spark ML's metadata and a heatwave model directory, naming what is missing. */
        private void requireSparkMlModel(String path) {
            Path root = new Path(path);
            try {
                org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                for (String part : new String[] {"metadata", HEATWAVE_DIR}) {
                    if (!fs.exists(new Path(root, part))) {
                        throw new IllegalArgumentException(path + " is not a saved HeatwaveClassificationModel: it has no "
                                + part + "/ (saved with model.write().save(path) or inside a PipelineModel)");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public HeatwaveClassificationModel load(String path) {
            requireSparkMlModel(path);
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    HeatwaveClassificationModel.class.getName());
            ModelIO.SavedModel saved;
            try {
                saved = ModelIO.load(new Path(path, HEATWAVE_DIR).toString(), sparkSession().sparkContext().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException(path + " cannot be read as a heatwave model: " + e.getMessage(), e);
            }
            HeatwaveClassificationModel model = fromSaved(metadata.uid(), saved);
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
