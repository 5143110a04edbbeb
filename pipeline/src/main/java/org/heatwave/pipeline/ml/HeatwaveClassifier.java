package org.heatwave.pipeline.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageFrames;
import org.heatwave.pipeline.train.Trainer;

/**
 * heatwave as a Spark ML Estimator: {@code new HeatwaveClassifier().setFeaturesCol("image").setEpochs(3).fit(df)}
 * trains the configured PDE-motivated network (parabolic, hyperbolic, IMEX, lean… blocks; {@link Keys}) on the
 * images of a DataFrame — Spark's image struct or arrays of numbers — data-parallel on the DataFrame's own
 * SparkSession, through the same {@link Trainer} as {@code bin/heatwave train}, and returns a
 * {@link HeatwaveClassificationModel}. Works in a {@code Pipeline}, {@code CrossValidator} and
 * {@code TrainValidationSplit}; saved with {@code write().save(path)}, read with {@link #load(String)}.
 *
 * <p>The number of classes and their names come from the label column's metadata ({@code StringIndexer}'s labels),
 * else from its largest value. The result depends on the seed, the Params and the order of the rows, never on
 * partitioning or executors (issue 14). It never creates or stops a SparkSession.
 */
public final class HeatwaveClassifier extends Estimator<HeatwaveClassificationModel>
        implements HeatwaveParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;

    public HeatwaveClassifier() {
        this(Identifiable.randomUID("heatwave"));
    }

    public HeatwaveClassifier(String uid) {
        this.uid = uid;
        MlParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public HeatwaveClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        Settings settings = MlParams.settings(this);
        Dataset<Row> df = dataset.toDF();
        ImageFrames.Input input = ImageFrames.input(df, getFeaturesCol(), getImageShape());
        List<String> classes = classNames(df);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        Trainer trainer = new Trainer(settings, System.out);
        String runDir = getRunDir();
        java.nio.file.Path temporary = null;
        try {
            if (runDir.isEmpty()) {
                temporary = Files.createTempDirectory("heatwave-fit-");
                runDir = temporary.resolve("run").toUri().toString();
            }
            DistributedDataset train = ImageFrames.load(jsc, df, getFeaturesCol(), getLabelCol(), input, classes.size(),
                    settings.get(Keys.DATA_SHARDS), settings.partitions(jsc.defaultParallelism()));
            try (Trainer.Splits data = new Trainer.Splits(train, null, "DataFrame column " + getFeaturesCol())) {
                Trainer.Result r = trainer.resume(jsc, data, runDir, null);
                HeatwaveClassificationModel model = new HeatwaveClassificationModel(uid, r.spec(), r.params(), classes, input);
                model.setSummary(new HeatwaveTrainingSummary(r.summary(), Trainer.metrics(runDir, jsc.hadoopConfiguration()),
                        Trainer.trainingCurves(runDir, jsc.hadoopConfiguration())));
                return copyValues(model, ParamMap.empty()).setParent(this);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary != null) {
                deleteRecursively(temporary);
            }
        }
    }

    /** The class names: the label column's nominal values (StringIndexer), else "0" … "k−1" for the largest label k−1. */
    private List<String> classNames(Dataset<Row> df) {
        ImageFrames.requireNumeric(df.schema(), getLabelCol());
        Attribute attribute = Attribute.fromStructField(df.schema().apply(getLabelCol()));
        if (attribute instanceof NominalAttribute nominal && nominal.values().isDefined()) {
            return List.of(nominal.values().get());
        }
        Row max = df.agg(functions.max(functions.col(getLabelCol()))).first();
        if (max.isNullAt(0)) {
            throw new IllegalArgumentException("label column " + getLabelCol() + " has no labels");
        }
        int k = (int) Math.floor(((Number) max.get(0)).doubleValue()) + 1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }

    private static void deleteRecursively(java.nio.file.Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a fitted model for
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageFrames.requireNumeric(schema, getLabelCol());
        return MlParams.outputSchema(this, schema);
    }

    @Override
    public HeatwaveClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<HeatwaveClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static HeatwaveClassifier load(String path) {
        return read().load(path);
    }

    public HeatwaveClassifier setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public HeatwaveClassifier setLabelCol(String value) {
        set(labelCol(), value);
        return this;
    }

    public HeatwaveClassifier setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    public HeatwaveClassifier setProbabilityCol(String value) {
        set(probabilityCol(), value);
        return this;
    }

    public HeatwaveClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol(), value);
        return this;
    }

    public HeatwaveClassifier setImageShape(int... value) {
        set(imageShape(), value);
        return this;
    }

    public HeatwaveClassifier setRunDir(String value) {
        set(runDir(), value);
        return this;
    }

    public HeatwaveClassifier setSeed(long value) {
        set(seed(), value);
        return this;
    }

    public HeatwaveClassifier setDataPartitions(int value) {
        set(dataPartitions(), value);
        return this;
    }

    public HeatwaveClassifier setDataShards(int value) {
        set(dataShards(), value);
        return this;
    }

    public HeatwaveClassifier setWidths(int[] value) {
        set(widths(), value);
        return this;
    }

    public HeatwaveClassifier setSteps(int value) {
        set(steps(), value);
        return this;
    }

    public HeatwaveClassifier setStepSize(double value) {
        set(stepSize(), value);
        return this;
    }

    public HeatwaveClassifier setActivation(String value) {
        set(activation(), value);
        return this;
    }

    public HeatwaveClassifier setNormalization(String value) {
        set(normalization(), value);
        return this;
    }

    public HeatwaveClassifier setInputStandardization(String value) {
        set(inputStandardization(), value);
        return this;
    }

    public HeatwaveClassifier setBlocks(String[] value) {
        set(blocks(), value);
        return this;
    }

    public HeatwaveClassifier setWeightsInTime(String value) {
        set(weightsInTime(), value);
        return this;
    }

    public HeatwaveClassifier setStoreStates(boolean value) {
        set(storeStates(), value);
        return this;
    }

    public HeatwaveClassifier setHead(String value) {
        set(head(), value);
        return this;
    }

    public HeatwaveClassifier setOptimizer(String value) {
        set(optimizer(), value);
        return this;
    }

    public HeatwaveClassifier setEpochs(int value) {
        set(epochs(), value);
        return this;
    }

    public HeatwaveClassifier setBatchSize(int value) {
        set(batchSize(), value);
        return this;
    }

    public HeatwaveClassifier setLearningRate(double value) {
        set(learningRate(), value);
        return this;
    }

    public HeatwaveClassifier setSchedule(String value) {
        set(schedule(), value);
        return this;
    }

    public HeatwaveClassifier setWarmupEpochs(double value) {
        set(warmupEpochs(), value);
        return this;
    }

    public HeatwaveClassifier setMomentum(double value) {
        set(momentum(), value);
        return this;
    }

    public HeatwaveClassifier setAugmentShift(int value) {
        set(augmentShift(), value);
        return this;
    }

    public HeatwaveClassifier setAugmentFlip(boolean value) {
        set(augmentFlip(), value);
        return this;
    }

    public HeatwaveClassifier setLabelSmoothing(double value) {
        set(labelSmoothing(), value);
        return this;
    }

    public HeatwaveClassifier setWeightDecay(double value) {
        set(weightDecay(), value);
        return this;
    }

    public HeatwaveClassifier setBatchNormMomentum(double value) {
        set(batchNormMomentum(), value);
        return this;
    }

    public HeatwaveClassifier setTimeSmoothness(String value) {
        set(timeSmoothness(), value);
        return this;
    }

    public HeatwaveClassifier setTimeSmoothnessWeight(double value) {
        set(timeSmoothnessWeight(), value);
        return this;
    }

    public HeatwaveClassifier setTimeSmoothnessEpsilon(double value) {
        set(timeSmoothnessEpsilon(), value);
        return this;
    }

    public HeatwaveClassifier setClassifierSmoothnessWeight(double value) {
        set(classifierSmoothnessWeight(), value);
        return this;
    }

    public HeatwaveClassifier setMaxSteps(long value) {
        set(maxSteps(), value);
        return this;
    }

    public HeatwaveClassifier setCheckpointEvery(int value) {
        set(checkpointEvery(), value);
        return this;
    }

    public HeatwaveClassifier setCheckpointMinutes(double value) {
        set(checkpointMinutes(), value);
        return this;
    }

    public HeatwaveClassifier setCheckpointKeep(int value) {
        set(checkpointKeep(), value);
        return this;
    }

    public HeatwaveClassifier setNesterov(boolean value) {
        set(nesterov(), value);
        return this;
    }

    public HeatwaveClassifier setSampleSize(int value) {
        set(sampleSize(), value);
        return this;
    }

    public HeatwaveClassifier setCurvatureSample(int value) {
        set(curvatureSample(), value);
        return this;
    }

    public HeatwaveClassifier setHybridGnPasses(double value) {
        set(hybridGnPasses(), value);
        return this;
    }

    public HeatwaveClassifier setHybridClassifierSample(int value) {
        set(hybridClassifierSample(), value);
        return this;
    }

    public HeatwaveClassifier setResampleEvery(int value) {
        set(resampleEvery(), value);
        return this;
    }

    public HeatwaveClassifier setCgIterations(int value) {
        set(cgIterations(), value);
        return this;
    }

    public HeatwaveClassifier setCgTolerance(double value) {
        set(cgTolerance(), value);
        return this;
    }

    public HeatwaveClassifier setGlobalization(String value) {
        set(globalization(), value);
        return this;
    }

    public HeatwaveClassifier setDamping(double value) {
        set(damping(), value);
        return this;
    }

    public HeatwaveClassifier setDampingMin(double value) {
        set(dampingMin(), value);
        return this;
    }

    public HeatwaveClassifier setTrustRadius(double value) {
        set(trustRadius(), value);
        return this;
    }

    public HeatwaveClassifier setLbfgsMemory(int value) {
        set(lbfgsMemory(), value);
        return this;
    }

    public HeatwaveClassifier setClassifierTikhonov(double value) {
        set(classifierTikhonov(), value);
        return this;
    }

    public HeatwaveClassifier setClassifierTolerance(double value) {
        set(classifierTolerance(), value);
        return this;
    }

    public HeatwaveClassifier setClassifierIterations(int value) {
        set(classifierIterations(), value);
        return this;
    }

    public HeatwaveClassifier setClassifierSolve(String value) {
        set(classifierSolve(), value);
        return this;
    }

    public HeatwaveClassifier setLogEverySteps(int value) {
        set(logEverySteps(), value);
        return this;
    }

    public HeatwaveClassifier setLogHeartbeatSeconds(double value) {
        set(logHeartbeatSeconds(), value);
        return this;
    }
}
