package org.heatwave.pipeline.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.heatwave.pipeline.config.Keys;

/**
 * The Params of {@link HeatwaveClassifier} and {@link HeatwaveClassificationModel}: the columns, as MLlib's
 * probabilistic classifiers name them, and one Param per model and training setting of {@link Keys} (its name the
 * key's last part in lower camel case, e.g. {@code train.batch-size} is {@code batchSize}; doc, default and
 * allowed values from the declaration). Each Param object is made on demand — Spark ML Params are equal by owner
 * and name — so the declarations stay the only list.
 */
public interface HeatwaveParams extends Params {

    /** Features: Spark's image struct ({@code spark.read.format("image")}), or numbers with {@link #imageShape()}. */
    default Param<String> featuresCol() {
        return new Param<>(this, "featuresCol", "features column: Spark's image struct, or an array/vector of"
                + " channels x height x width numbers (then set imageShape)");
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** Labels: class indices {@code 0…k−1}, e.g. StringIndexer's output (whose labels become the class names). */
    default Param<String> labelCol() {
        return new Param<>(this, "labelCol", "label column: class indices 0..k-1 (StringIndexer's labels become the"
                + " model's class names)");
    }

    default String getLabelCol() {
        return getOrDefault(labelCol());
    }

    default Param<String> predictionCol() {
        return new Param<>(this, "predictionCol", "prediction column: the class index, as a double");
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default Param<String> probabilityCol() {
        return new Param<>(this, "probabilityCol", "column of class probabilities (softmax of the scores), a vector;"
                + " empty: not written");
    }

    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    default Param<String> rawPredictionCol() {
        return new Param<>(this, "rawPredictionCol", "column of the classifier's scores W Y_N + mu, a vector; empty:"
                + " not written");
    }

    default String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol());
    }

    /** {@code [channels, height, width]} of an array or vector features column (channels first). */
    default IntArrayParam imageShape() {
        return new IntArrayParam(this, "imageShape", "[channels, height, width] of an array or vector features column"
                + " (values channels first); empty for an image column");
    }

    default int[] getImageShape() {
        return getOrDefault(imageShape());
    }

    /**
     * A run directory (any Hadoop FileSystem URI) for the training's metrics, checkpoints and model; fitting again
     * with the same directory continues an unfinished run from its newest checkpoint, bit for bit. Empty: a
     * temporary directory, removed after fitting.
     */
    default Param<String> runDir() {
        return new Param<>(this, "runDir", "run directory for metrics, checkpoints and the model (any Hadoop FileSystem"
                + " URI); an unfinished run there is continued from its newest checkpoint. Empty: a temporary one");
    }

    default String getRunDir() {
        return getOrDefault(runDir());
    }

    /** {@code seed}: see {@link Keys#SEED}. */
    default LongParam seed() {
        return (LongParam) MlParams.param(this, Keys.SEED);
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** {@code data.partitions}: see {@link Keys#DATA_PARTITIONS}. */
    default IntParam dataPartitions() {
        return (IntParam) MlParams.param(this, Keys.DATA_PARTITIONS);
    }

    default int getDataPartitions() {
        return (Integer) getOrDefault(dataPartitions());
    }

    /** {@code data.shards}: see {@link Keys#DATA_SHARDS}. */
    default IntParam dataShards() {
        return (IntParam) MlParams.param(this, Keys.DATA_SHARDS);
    }

    default int getDataShards() {
        return (Integer) getOrDefault(dataShards());
    }

    /** {@code model.widths}: see {@link Keys#WIDTHS}. */
    default IntArrayParam widths() {
        return (IntArrayParam) MlParams.param(this, Keys.WIDTHS);
    }

    default int[] getWidths() {
        return (int[]) getOrDefault(widths());
    }

    /** {@code model.steps}: see {@link Keys#STEPS}. */
    default IntParam steps() {
        return (IntParam) MlParams.param(this, Keys.STEPS);
    }

    default int getSteps() {
        return (Integer) getOrDefault(steps());
    }

    /** {@code model.step-size}: see {@link Keys#STEP_SIZE}. */
    default DoubleParam stepSize() {
        return (DoubleParam) MlParams.param(this, Keys.STEP_SIZE);
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    /** {@code model.activation}: see {@link Keys#ACTIVATION}. */
    default Param<String> activation() {
        return (Param<String>) MlParams.param(this, Keys.ACTIVATION);
    }

    default String getActivation() {
        return (String) getOrDefault(activation());
    }

    /** {@code model.normalization}: see {@link Keys#NORMALIZATION}. */
    default Param<String> normalization() {
        return (Param<String>) MlParams.param(this, Keys.NORMALIZATION);
    }

    default String getNormalization() {
        return (String) getOrDefault(normalization());
    }

    /** {@code model.input-standardization}: see {@link Keys#INPUT_STANDARDIZATION}. */
    default Param<String> inputStandardization() {
        return (Param<String>) MlParams.param(this, Keys.INPUT_STANDARDIZATION);
    }

    default String getInputStandardization() {
        return (String) getOrDefault(inputStandardization());
    }

    /** {@code model.blocks}: see {@link Keys#BLOCKS}. */
    default StringArrayParam blocks() {
        return (StringArrayParam) MlParams.param(this, Keys.BLOCKS);
    }

    default String[] getBlocks() {
        return (String[]) getOrDefault(blocks());
    }

    /** {@code model.weights-in-time}: see {@link Keys#WEIGHTS_IN_TIME}. */
    default Param<String> weightsInTime() {
        return (Param<String>) MlParams.param(this, Keys.WEIGHTS_IN_TIME);
    }

    default String getWeightsInTime() {
        return (String) getOrDefault(weightsInTime());
    }

    /** {@code model.store-states}: see {@link Keys#STORE_STATES}. */
    default BooleanParam storeStates() {
        return (BooleanParam) MlParams.param(this, Keys.STORE_STATES);
    }

    default boolean getStoreStates() {
        return (Boolean) getOrDefault(storeStates());
    }

    /** {@code model.head}: see {@link Keys#HEAD}. */
    default Param<String> head() {
        return (Param<String>) MlParams.param(this, Keys.HEAD);
    }

    default String getHead() {
        return (String) getOrDefault(head());
    }

    /** {@code train.optimizer}: see {@link Keys#OPTIMIZER}. */
    default Param<String> optimizer() {
        return (Param<String>) MlParams.param(this, Keys.OPTIMIZER);
    }

    default String getOptimizer() {
        return (String) getOrDefault(optimizer());
    }

    /** {@code train.epochs}: see {@link Keys#EPOCHS}. */
    default IntParam epochs() {
        return (IntParam) MlParams.param(this, Keys.EPOCHS);
    }

    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /** {@code train.batch-size}: see {@link Keys#BATCH_SIZE}. */
    default IntParam batchSize() {
        return (IntParam) MlParams.param(this, Keys.BATCH_SIZE);
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /** {@code train.learning-rate}: see {@link Keys#LEARNING_RATE}. */
    default DoubleParam learningRate() {
        return (DoubleParam) MlParams.param(this, Keys.LEARNING_RATE);
    }

    default double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    /** {@code train.schedule}: see {@link Keys#SCHEDULE}. */
    default Param<String> schedule() {
        return (Param<String>) MlParams.param(this, Keys.SCHEDULE);
    }

    default String getSchedule() {
        return (String) getOrDefault(schedule());
    }

    /** {@code train.warmup-epochs}: see {@link Keys#WARMUP_EPOCHS}. */
    default DoubleParam warmupEpochs() {
        return (DoubleParam) MlParams.param(this, Keys.WARMUP_EPOCHS);
    }

    default double getWarmupEpochs() {
        return (Double) getOrDefault(warmupEpochs());
    }

    /** {@code train.momentum}: see {@link Keys#MOMENTUM}. */
    default DoubleParam momentum() {
        return (DoubleParam) MlParams.param(this, Keys.MOMENTUM);
    }

    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    /** {@code train.augment-shift}: see {@link Keys#AUGMENT_SHIFT}. */
    default IntParam augmentShift() {
        return (IntParam) MlParams.param(this, Keys.AUGMENT_SHIFT);
    }

    default int getAugmentShift() {
        return (Integer) getOrDefault(augmentShift());
    }

    /** {@code train.augment-flip}: see {@link Keys#AUGMENT_FLIP}. */
    default BooleanParam augmentFlip() {
        return (BooleanParam) MlParams.param(this, Keys.AUGMENT_FLIP);
    }

    default boolean getAugmentFlip() {
        return (Boolean) getOrDefault(augmentFlip());
    }

    /** {@code train.label-smoothing}: see {@link Keys#LABEL_SMOOTHING}. */
    default DoubleParam labelSmoothing() {
        return (DoubleParam) MlParams.param(this, Keys.LABEL_SMOOTHING);
    }

    default double getLabelSmoothing() {
        return (Double) getOrDefault(labelSmoothing());
    }

    /** {@code train.weight-decay}: see {@link Keys#WEIGHT_DECAY}. */
    default DoubleParam weightDecay() {
        return (DoubleParam) MlParams.param(this, Keys.WEIGHT_DECAY);
    }

    default double getWeightDecay() {
        return (Double) getOrDefault(weightDecay());
    }

    /** {@code train.batch-norm-momentum}: see {@link Keys#BATCH_NORM_MOMENTUM}. */
    default DoubleParam batchNormMomentum() {
        return (DoubleParam) MlParams.param(this, Keys.BATCH_NORM_MOMENTUM);
    }

    default double getBatchNormMomentum() {
        return (Double) getOrDefault(batchNormMomentum());
    }

    /** {@code train.time-smoothness}: see {@link Keys#TIME_SMOOTHNESS}. */
    default Param<String> timeSmoothness() {
        return (Param<String>) MlParams.param(this, Keys.TIME_SMOOTHNESS);
    }

    default String getTimeSmoothness() {
        return (String) getOrDefault(timeSmoothness());
    }

    /** {@code train.time-smoothness-weight}: see {@link Keys#TIME_SMOOTHNESS_WEIGHT}. */
    default DoubleParam timeSmoothnessWeight() {
        return (DoubleParam) MlParams.param(this, Keys.TIME_SMOOTHNESS_WEIGHT);
    }

    default double getTimeSmoothnessWeight() {
        return (Double) getOrDefault(timeSmoothnessWeight());
    }

    /** {@code train.time-smoothness-epsilon}: see {@link Keys#TIME_SMOOTHNESS_EPSILON}. */
    default DoubleParam timeSmoothnessEpsilon() {
        return (DoubleParam) MlParams.param(this, Keys.TIME_SMOOTHNESS_EPSILON);
    }

    default double getTimeSmoothnessEpsilon() {
        return (Double) getOrDefault(timeSmoothnessEpsilon());
    }

    /** {@code train.classifier-smoothness-weight}: see {@link Keys#CLASSIFIER_SMOOTHNESS_WEIGHT}. */
    default DoubleParam classifierSmoothnessWeight() {
        return (DoubleParam) MlParams.param(this, Keys.CLASSIFIER_SMOOTHNESS_WEIGHT);
    }

    default double getClassifierSmoothnessWeight() {
        return (Double) getOrDefault(classifierSmoothnessWeight());
    }

    /** {@code train.max-steps}: see {@link Keys#MAX_STEPS}. */
    default LongParam maxSteps() {
        return (LongParam) MlParams.param(this, Keys.MAX_STEPS);
    }

    default long getMaxSteps() {
        return (Long) getOrDefault(maxSteps());
    }

    /** {@code train.checkpoint-every}: see {@link Keys#CHECKPOINT_EVERY}. */
    default IntParam checkpointEvery() {
        return (IntParam) MlParams.param(this, Keys.CHECKPOINT_EVERY);
    }

    default int getCheckpointEvery() {
        return (Integer) getOrDefault(checkpointEvery());
    }

    /** {@code train.checkpoint-minutes}: see {@link Keys#CHECKPOINT_MINUTES}. */
    default DoubleParam checkpointMinutes() {
        return (DoubleParam) MlParams.param(this, Keys.CHECKPOINT_MINUTES);
    }

    default double getCheckpointMinutes() {
        return (Double) getOrDefault(checkpointMinutes());
    }

    /** {@code train.checkpoint-keep}: see {@link Keys#CHECKPOINT_KEEP}. */
    default IntParam checkpointKeep() {
        return (IntParam) MlParams.param(this, Keys.CHECKPOINT_KEEP);
    }

    default int getCheckpointKeep() {
        return (Integer) getOrDefault(checkpointKeep());
    }

    /** {@code train.nesterov}: see {@link Keys#NESTEROV}. */
    default BooleanParam nesterov() {
        return (BooleanParam) MlParams.param(this, Keys.NESTEROV);
    }

    default boolean getNesterov() {
        return (Boolean) getOrDefault(nesterov());
    }

    /** {@code train.sample-size}: see {@link Keys#SAMPLE_SIZE}. */
    default IntParam sampleSize() {
        return (IntParam) MlParams.param(this, Keys.SAMPLE_SIZE);
    }

    default int getSampleSize() {
        return (Integer) getOrDefault(sampleSize());
    }

    /** {@code train.curvature-sample}: see {@link Keys#CURVATURE_SAMPLE}. */
    default IntParam curvatureSample() {
        return (IntParam) MlParams.param(this, Keys.CURVATURE_SAMPLE);
    }

    default int getCurvatureSample() {
        return (Integer) getOrDefault(curvatureSample());
    }

    /** {@code train.hybrid-gn-passes}: see {@link Keys#HYBRID_GN_PASSES}. */
    default DoubleParam hybridGnPasses() {
        return (DoubleParam) MlParams.param(this, Keys.HYBRID_GN_PASSES);
    }

    default double getHybridGnPasses() {
        return (Double) getOrDefault(hybridGnPasses());
    }

    /** {@code train.hybrid-classifier-sample}: see {@link Keys#HYBRID_CLASSIFIER_SAMPLE}. */
    default IntParam hybridClassifierSample() {
        return (IntParam) MlParams.param(this, Keys.HYBRID_CLASSIFIER_SAMPLE);
    }

    default int getHybridClassifierSample() {
        return (Integer) getOrDefault(hybridClassifierSample());
    }

    /** {@code train.resample-every}: see {@link Keys#RESAMPLE_EVERY}. */
    default IntParam resampleEvery() {
        return (IntParam) MlParams.param(this, Keys.RESAMPLE_EVERY);
    }

    default int getResampleEvery() {
        return (Integer) getOrDefault(resampleEvery());
    }

    /** {@code train.cg-iterations}: see {@link Keys#CG_ITERATIONS}. */
    default IntParam cgIterations() {
        return (IntParam) MlParams.param(this, Keys.CG_ITERATIONS);
    }

    default int getCgIterations() {
        return (Integer) getOrDefault(cgIterations());
    }

    /** {@code train.cg-tolerance}: see {@link Keys#CG_TOLERANCE}. */
    default DoubleParam cgTolerance() {
        return (DoubleParam) MlParams.param(this, Keys.CG_TOLERANCE);
    }

    default double getCgTolerance() {
        return (Double) getOrDefault(cgTolerance());
    }

    /** {@code train.globalization}: see {@link Keys#GLOBALIZATION}. */
    default Param<String> globalization() {
        return (Param<String>) MlParams.param(this, Keys.GLOBALIZATION);
    }

    default String getGlobalization() {
        return (String) getOrDefault(globalization());
    }

    /** {@code train.damping-min}: see {@link Keys#DAMPING_MIN}. */
    default DoubleParam dampingMin() {
        return (DoubleParam) MlParams.param(this, Keys.DAMPING_MIN);
    }

    default double getDampingMin() {
        return (Double) getOrDefault(dampingMin());
    }

    /** {@code train.damping}: see {@link Keys#DAMPING}. */
    default DoubleParam damping() {
        return (DoubleParam) MlParams.param(this, Keys.DAMPING);
    }

    default double getDamping() {
        return (Double) getOrDefault(damping());
    }

    /** {@code train.trust-radius}: see {@link Keys#TRUST_RADIUS}. */
    default DoubleParam trustRadius() {
        return (DoubleParam) MlParams.param(this, Keys.TRUST_RADIUS);
    }

    default double getTrustRadius() {
        return (Double) getOrDefault(trustRadius());
    }

    /** {@code train.lbfgs-memory}: see {@link Keys#LBFGS_MEMORY}. */
    default IntParam lbfgsMemory() {
        return (IntParam) MlParams.param(this, Keys.LBFGS_MEMORY);
    }

    default int getLbfgsMemory() {
        return (Integer) getOrDefault(lbfgsMemory());
    }

    /** {@code train.classifier-tikhonov}: see {@link Keys#CLASSIFIER_TIKHONOV}. */
    default DoubleParam classifierTikhonov() {
        return (DoubleParam) MlParams.param(this, Keys.CLASSIFIER_TIKHONOV);
    }

    default double getClassifierTikhonov() {
        return (Double) getOrDefault(classifierTikhonov());
    }

    /** {@code train.classifier-tolerance}: see {@link Keys#CLASSIFIER_TOLERANCE}. */
    default DoubleParam classifierTolerance() {
        return (DoubleParam) MlParams.param(this, Keys.CLASSIFIER_TOLERANCE);
    }

    default double getClassifierTolerance() {
        return (Double) getOrDefault(classifierTolerance());
    }

    /** {@code train.classifier-iterations}: see {@link Keys#CLASSIFIER_ITERATIONS}. */
    default IntParam classifierIterations() {
        return (IntParam) MlParams.param(this, Keys.CLASSIFIER_ITERATIONS);
    }

    default int getClassifierIterations() {
        return (Integer) getOrDefault(classifierIterations());
    }

    /** {@code train.classifier-solve}: see {@link Keys#CLASSIFIER_SOLVE}. */
    default Param<String> classifierSolve() {
        return (Param<String>) MlParams.param(this, Keys.CLASSIFIER_SOLVE);
    }

    default String getClassifierSolve() {
        return (String) getOrDefault(classifierSolve());
    }

    /** {@code log.every-steps}: see {@link Keys#LOG_EVERY_STEPS}. */
    default IntParam logEverySteps() {
        return (IntParam) MlParams.param(this, Keys.LOG_EVERY_STEPS);
    }

    default int getLogEverySteps() {
        return (Integer) getOrDefault(logEverySteps());
    }

    /** {@code log.heartbeat-seconds}: see {@link Keys#LOG_HEARTBEAT_SECONDS}. */
    default DoubleParam logHeartbeatSeconds() {
        return (DoubleParam) MlParams.param(this, Keys.LOG_HEARTBEAT_SECONDS);
    }

    default double getLogHeartbeatSeconds() {
        return (Double) getOrDefault(logHeartbeatSeconds());
    }
}
