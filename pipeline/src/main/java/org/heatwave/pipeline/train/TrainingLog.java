package org.heatwave.pipeline.train;

import org.heatwave.pipeline.config.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.heatwave.loss.LossResult;
import org.heatwave.net.Network;
import org.heatwave.net.VariableProjection;
import org.heatwave.opt.Optimizer;
import org.heatwave.opt.OptimizerState;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.distributed.SparkObjective;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.report.TrainingCurves;

/**
 * What a training run reports while the optimiser works — the {@link Optimizer.Listener} of the
 * {@link Trainer}: per logged iteration a console line and a {@code "train"} record in metrics.jsonl (window
 * means of loss and accuracy, the objective, step length, data passes; CG iterations and residual,
 * line-search evaluations and the evaluation's diagnostics for the second-order methods); after every
 * completed data pass a test evaluation ({@code "epoch"} record); with {@code log.eval-every-passes} also
 * checkpoint evaluations ({@code "eval"} records: test loss and accuracy, the loss on a fixed training sample,
 * the optimiser's seconds without the evaluations). It also folds batch-normalisation statistics into the
 * parameters after each iteration, refuses non-finite parameters at every iteration, and hands a
 * {@link Checkpointer} what a checkpoint needs every {@code train.checkpoint-every} iterations or
 * {@code train.checkpoint-minutes} minutes. Its own counters and curves are a {@link #state} a resumed run
 * {@link #restore}s, so the records after a resume are those of a run that never stopped (timings aside).
 */
final class TrainingLog implements Optimizer.Listener {
    /** Writes a checkpoint after iteration {@code step}: the point, the optimiser's and the log's state, the metrics so far. */
    @FunctionalInterface
    interface Checkpointer {
        void save(long step, double[] point, OptimizerState optimizer, ObjectNode log, byte[] metrics) throws IOException;
    }

    private final Settings settings;
    private final String method;
    /** Steps per epoch for the mini-batch methods (sgd, adam, the hybrid's sgd phase); 0 for the others. */
    private final int stepsPerEpoch;
    /**
     * The iterations that are mini-batch steps, logged every {@code log.every-steps} with an epoch's end at every
     * {@link #stepsPerEpoch}-th: all for sgd and adam, the first phase's for sgd-sgn-varpro, none for the others
     * (which log every iteration and end a pass when the data passes cross a whole number).
     */
    private final long miniBatchSteps;
    private final Optimizer.Budget budget;
    private final Progress progress;
    private final FSDataOutputStream metrics;
    private final TrainingCurves curves;
    private final Network net;
    private final SparkObjective objective;
    private final DistributedDataset test;
    private final int trainCount;
    private final int[] trainEvalSample;
    private final VariableProjection reduced;
    private final Checkpointer checkpointer;
    /** Everything written to metrics.jsonl, for checkpoints. */
    private final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();

    private long iterations;
    private long checkpointedAt;
    private double checkpointedSeconds;
    private double passes;
    private double testedAtPasses;
    private double evaluatedAtPasses;
    private double evalSeconds;
    private int epochs;
    private LossResult lastTest;
    /** Seconds of the last test-set evaluation alone (the training-sample evaluation of a checkpoint not included). */
    private double lastTestSeconds;
    private double lastLoss = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double windowLoss;
    private double windowAccuracy;
    private int windowCount;
    private double windowStart;
    private double windowImages;
    /** Sum of the iterations' step timings since the last logged one (wall-clock: not part of a checkpoint). */
    private org.heatwave.pipeline.distributed.StepTiming windowTiming = org.heatwave.pipeline.distributed.StepTiming.ZERO;
    private int windowTimed;

    /** What the summary needs at the end. */
    record Totals(long iterations, double passes, int epochs, LossResult test, double lastLoss, double lastAccuracy) {
    }

    /**
     * @param trainEvalSample the training examples whose loss checkpoints evaluate (null: none)
     * @param reduced         the variable projection, whose points are θ_f (null for the other optimisers)
     */
    TrainingLog(Settings settings, String method, int stepsPerEpoch, long miniBatchSteps, Optimizer.Budget budget, Progress progress,
                FSDataOutputStream metrics, TrainingCurves curves, Network net, SparkObjective objective, DistributedDataset test,
                int trainCount, int[] trainEvalSample, VariableProjection reduced, Checkpointer checkpointer) {
        this.settings = settings;
        this.method = method;
        this.stepsPerEpoch = stepsPerEpoch;
        this.miniBatchSteps = miniBatchSteps;
        this.budget = budget;
        this.progress = progress;
        this.metrics = metrics;
        this.curves = curves;
        this.net = net;
        this.objective = objective;
        this.test = test;
        this.trainCount = trainCount;
        this.trainEvalSample = trainEvalSample;
        this.reduced = reduced;
        this.checkpointer = checkpointer;
    }

    /** Whether iteration {@code number} is a mini-batch step. */
    private boolean firstOrder(long number) {
        return stepsPerEpoch > 0 && number <= miniBatchSteps;
    }

    /** The checkpoint at pass 0 (with {@code log.eval-every-passes}), so every curve starts at the initial model. */
    void start(double[] theta) {
        if (settings.get(Keys.EVAL_EVERY_PASSES) > 0) {
            checkpoint(0, 0, theta, true);
        }
    }

    @Override
    public boolean iteration(Optimizer.Iteration it, double[] point) {
        return iteration(it, point, () -> {
            throw new IllegalStateException("this optimiser reports no state");
        });
    }

    @Override
    public boolean iteration(Optimizer.Iteration it, double[] point, Supplier<OptimizerState> optimizerState) {
        double now = progress.elapsedSeconds();
        double images = it.dataPasses() * trainCount;
        double dataLoss = it.diagnostics().getOrDefault("data_loss", it.loss());
        double accuracy = it.diagnostics().getOrDefault("accuracy", Double.NaN);
        if (!Double.isFinite(it.loss())) {
            throw new IllegalStateException("training diverged at iteration " + it.number() + ": loss " + it.loss()
                    + "; lower train.learning-rate (now " + settings.get(Keys.LEARNING_RATE) + ") or raise train.damping");
        }
        absorbStatistics(point);
        requireFinite(it.number(), point);
        iterations = it.number();
        passes = it.dataPasses();
        windowLoss += dataLoss;
        windowAccuracy += accuracy;
        windowCount++;
        boolean firstOrder = firstOrder(it.number());
        if (firstOrder && objective.lastTiming() != null) {
            windowTiming = windowTiming.plus(objective.lastTiming());
            windowTimed++;
        }
        boolean log = !firstOrder || it.number() % settings.get(Keys.LOG_EVERY_STEPS) == 0 || it.number() % stepsPerEpoch == 0
                || it.number() == miniBatchSteps;
        if (log) {
            logIteration(it, now, images, dataLoss);
        }
        // a pass ends where the data passes cross a whole number; in the hybrid's Gauss-Newton phase, where they cross a
        // whole number of sgd's epochs (937 × 64 = 59,968 examples of 60,000), counting on from the epochs sgd finished
        boolean passDone = firstOrder ? it.number() % stepsPerEpoch == 0
                : miniBatchSteps > 0 ? Math.floor(it.dataPasses() * trainCount / ((double) stepsPerEpoch * settings.get(Keys.BATCH_SIZE))
                + 1e-9) > epochs
                : Math.floor(it.dataPasses()) > Math.floor(testedAtPasses);
        double every = settings.get(Keys.EVAL_EVERY_PASSES);
        // the hybrid's first phase ends: a checkpoint there shows what its second phase adds
        boolean phaseEnd = miniBatchSteps > 0 && miniBatchSteps < budget.iterations() && it.number() == miniBatchSteps;
        boolean evalDue = every > 0 && (phaseEnd || Math.floor(it.dataPasses() / every) > Math.floor(evaluatedAtPasses / every));
        long passEnd = System.currentTimeMillis();
        if (passDone || evalDue) {
            checkpoint(it.number(), it.dataPasses(), reduced == null ? point : reduced.assemble(point), evalDue);
        }
        if (passDone) {
            testedAtPasses = it.dataPasses();
            epochs++;
            progress.line(String.format(Locale.ROOT, "%s %d done · train loss %.4f%s · %s elapsed",
                    firstOrder ? "epoch" : "pass", epochs, dataLoss, lastTest == null ? ""
                            : String.format(Locale.ROOT, " · test loss %.4f · test acc %.2f%%", lastTest.meanLoss(),
                            100 * lastTest.accuracy()), Progress.duration(now)));
            ObjectNode m = Json.object();
            m.put("kind", "epoch").put("epoch", epochs).put("step", it.number()).put("data_passes", it.dataPasses())
                    .put("train_loss", dataLoss).put("train_accuracy", accuracy);
            if (lastTest != null) {
                m.put("test_loss", lastTest.meanLoss()).put("test_accuracy", lastTest.accuracy())
                        .put("test_images", lastTest.count()).put("test_seconds", lastTestSeconds);
            }
            write(m.put("elapsed_seconds", now).put("pass_end_unix_seconds", passEnd / 1e3));
        }
        lastLoss = dataLoss;
        lastAccuracy = accuracy;
        int everySteps = settings.get(Keys.CHECKPOINT_EVERY);
        double everyMinutes = settings.get(Keys.CHECKPOINT_MINUTES);
        if (everySteps > 0 && it.number() % everySteps == 0
                || everyMinutes > 0 && progress.elapsedSeconds() - checkpointedSeconds >= 60 * everyMinutes) {
            saveCheckpoint(it.number(), point, optimizerState.get());
        }
        return true;
    }

    private void saveCheckpoint(long step, double[] point, OptimizerState optimizer) {
        try {
            checkpointer.save(step, point, optimizer, state(), written.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint after step " + step + " (the previous checkpoint"
                    + (checkpointedAt > 0 ? ", after step " + checkpointedAt + "," : "") + " stays usable): " + e.getMessage(), e);
        }
        checkpointedAt = step;
        checkpointedSeconds = progress.elapsedSeconds();
    }

    /** Non-finite parameters end the run at the iteration that made them: they are never checkpointed or saved. */
    private void requireFinite(long iteration, double[] point) {
        for (int i = 0; i < point.length; i++) {
            if (!Double.isFinite(point[i])) {
                throw new IllegalStateException("training diverged at iteration " + iteration + ": parameter " + i + " is "
                        + point[i] + "; lower train.learning-rate (now " + settings.get(Keys.LEARNING_RATE) + ") or raise train.damping");
            }
        }
    }

    /** The log's counters, curves and clocks, for a checkpoint. */
    ObjectNode state() {
        ObjectNode s = Json.object();
        s.put("iterations", iterations).put("passes", passes).put("tested_at_passes", testedAtPasses)
                .put("evaluated_at_passes", evaluatedAtPasses).put("eval_seconds", evalSeconds).put("epochs", epochs)
                .put("last_loss", lastLoss).put("last_accuracy", lastAccuracy).put("window_loss", windowLoss)
                .put("window_accuracy", windowAccuracy).put("window_count", windowCount).put("window_start", windowStart)
                .put("window_images", windowImages).put("elapsed_seconds", progress.elapsedSeconds());
        if (lastTest != null) {
            s.putObject("last_test").put("loss", lastTest.loss()).put("correct", lastTest.correct()).put("count", lastTest.count());
        }
        s.set("curves", curves.state());
        return s;
    }

    /** Continues from a checkpoint's {@link #state} and metrics bytes (already in the metrics file). */
    void restore(ObjectNode s, byte[] metricsSoFar) {
        iterations = s.path("iterations").asLong();
        passes = s.path("passes").asDouble();
        testedAtPasses = s.path("tested_at_passes").asDouble();
        evaluatedAtPasses = s.path("evaluated_at_passes").asDouble();
        evalSeconds = s.path("eval_seconds").asDouble();
        epochs = s.path("epochs").asInt();
        lastLoss = s.path("last_loss").asDouble();
        lastAccuracy = s.path("last_accuracy").asDouble();
        windowLoss = s.path("window_loss").asDouble();
        windowAccuracy = s.path("window_accuracy").asDouble();
        windowCount = s.path("window_count").asInt();
        windowStart = s.path("window_start").asDouble();
        windowImages = s.path("window_images").asDouble();
        if (s.has("last_test")) {
            JsonNode t = s.path("last_test");
            lastTest = new LossResult(t.path("loss").asDouble(), t.path("correct").asLong(), t.path("count").asLong());
        }
        curves.restore(s.path("curves"));
        written.writeBytes(metricsSoFar);
        checkpointedAt = iterations;
        checkpointedSeconds = progress.elapsedSeconds();
    }

    /** The console line and the {@code "train"} record of a logged iteration (window means since the last one). */
    private void logIteration(Optimizer.Iteration it, double now, double images, double dataLoss) {
        double loss = windowLoss / windowCount, accuracy = windowAccuracy / windowCount;
        double ips = (images - windowImages) / Math.max(1e-9, now - windowStart);
        boolean firstOrder = firstOrder(it.number());
        String where = firstOrder
                ? String.format(Locale.ROOT, "epoch %d/%d · step %d/%d", (it.number() - 1) / stepsPerEpoch + 1, settings.get(Keys.EPOCHS),
                (it.number() - 1) % stepsPerEpoch + 1, stepsPerEpoch)
                : it.diagnostics().containsKey("elimination_examples")
                ? String.format(Locale.ROOT, "iter %d · pass %.2f/%d · classifier solved on %.0f examples · step %.3g", it.number(),
                it.dataPasses(), settings.get(Keys.EPOCHS), it.diagnostics().get("elimination_examples"), it.stepLength())
                : String.format(Locale.ROOT, "iter %d · pass %.2f/%d · CG %d · step %.3g", it.number(), it.dataPasses(),
                settings.get(Keys.EPOCHS), it.cgIterations(), it.stepLength());
        // how much of the run is behind: its steps, or its data passes, or its iterations when train.max-steps ends it first
        progress.step(where, loss, accuracy, ips,
                firstOrder && miniBatchSteps == budget.iterations() ? it.number() / (double) budget.iterations()
                        : Math.max(it.dataPasses() / settings.get(Keys.EPOCHS), it.number() / (double) budget.iterations()));
        ObjectNode m = Json.object();
        m.put("kind", "train").put("optimizer", method).put("step", it.number()).put("epoch", (int) Math.ceil(it.dataPasses()))
                .put("loss", loss).put("accuracy", accuracy).put("objective", it.loss()).put("regularizer", it.loss() - dataLoss)
                .put("gradient_norm", it.gradientNorm()).put("step_length", it.stepLength())
                .put("data_passes", it.dataPasses()).put("images_per_second", ips).put("elapsed_seconds", now);
        if (!firstOrder) {
            m.put("cg_iterations", it.cgIterations()).put("cg_residual", it.cgResidual())
                    .put("line_search_evaluations", it.lineSearchEvaluations());
        }
        if (windowTimed > 0) {
            var t = windowTiming.scaled(1.0 / windowTimed);
            m.put("step_seconds", t.wall()).put("compute_seconds", t.compute()).put("broadcast_seconds", t.broadcast())
                    .put("aggregation_seconds", t.aggregation()).put("scheduling_seconds", t.scheduling());
        }
        for (Map.Entry<String, Double> d : new TreeMap<>(it.diagnostics()).entrySet()) {
            // an optimiser's diagnostic never replaces a field of the record (step, loss, …)
            if (!d.getKey().equals("accuracy") && !d.getKey().equals("data_loss") && !m.has(d.getKey())) {
                m.put(d.getKey(), d.getValue());
            }
        }
        write(m);
        curves.addTrain(images, loss, accuracy);
        windowLoss = 0;
        windowAccuracy = 0;
        windowCount = 0;
        windowStart = now;
        windowImages = images;
        windowTiming = org.heatwave.pipeline.distributed.StepTiming.ZERO;
        windowTimed = 0;
    }

    /**
     * Evaluates the test set (and, for an {@code "eval"} record, the fixed training sample) at {@code theta};
     * the time it takes is kept out of the optimiser's seconds.
     */
    private void checkpoint(long step, double atPasses, double[] theta, boolean record) {
        if (test == null) {
            return;
        }
        long t0 = System.nanoTime();
        lastTest = objective.testEvaluation(test, theta, String.format(Locale.ROOT, "pass %.2f · test evaluation", atPasses));
        lastTestSeconds = (System.nanoTime() - t0) / 1e9;
        LossResult trainEval = record && trainEvalSample != null
                ? objective.trainEvaluation(theta, trainEvalSample, "train-loss evaluation") : null;
        evalSeconds += (System.nanoTime() - t0) / 1e9;
        curves.addTest(atPasses * trainCount, lastTest.meanLoss(), lastTest.accuracy());
        if (record) {
            evaluatedAtPasses = atPasses;
            ObjectNode m = Json.object();
            m.put("kind", "eval").put("step", step).put("data_passes", atPasses).put("train_seconds", trainSeconds())
                    .put("test_loss", lastTest.meanLoss()).put("test_accuracy", lastTest.accuracy());
            if (trainEval != null) {
                m.put("train_eval_loss", trainEval.meanLoss()).put("train_eval_accuracy", trainEval.accuracy())
                        .put("train_eval_examples", trainEval.count());
            }
            write(m);
        }
    }

    /**
     * The final model's test evaluation (an {@code "eval"} record too with {@code log.eval-every-passes}, so every
     * curve ends at the final model), unless the last checkpoint already was at the final point.
     */
    void finish(double[] theta) {
        boolean record = settings.get(Keys.EVAL_EVERY_PASSES) > 0 && evaluatedAtPasses != passes;
        if (record || lastTest == null || testedAtPasses != passes && evaluatedAtPasses != passes) {
            checkpoint(iterations, passes, theta, record);
        }
    }

    /** Seconds the optimiser has run, without the evaluations. */
    double trainSeconds() {
        return progress.elapsedSeconds() - evalSeconds;
    }

    Totals totals() {
        return new Totals(iterations, passes, epochs, lastTest, lastLoss, lastAccuracy);
    }

    /** Batch normalisation: the running statistics take the last gradient evaluation's batch moments. */
    private void absorbStatistics(double[] point) {
        double[] stats = objective.lastStatistics();
        if (net.statisticsCount() == 0 || stats == null) {
            return;
        }
        double[] full = java.util.Arrays.copyOf(point, net.paramCount());
        net.absorbStatistics(full, stats, settings.get(Keys.BATCH_NORM_MOMENTUM));
        System.arraycopy(full, 0, point, 0, point.length);
    }

    /** Appends one JSON record to metrics.jsonl and flushes it (readable while the run goes on). */
    private void write(ObjectNode m) {
        try {
            byte[] line = (Json.MAPPER.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
            metrics.write(line);
            metrics.hflush();
            written.writeBytes(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.jsonl", e);
        }
    }
}
