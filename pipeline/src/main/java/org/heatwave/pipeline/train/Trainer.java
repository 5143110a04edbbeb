package org.heatwave.pipeline.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.datasets.FashionMnist;
import org.heatwave.loss.LossResult;
import org.heatwave.net.Network;
import org.heatwave.reg.Regularizer;
import org.heatwave.opt.LearningRate;
import org.heatwave.opt.Sampler;
import org.heatwave.opt.SgdMomentum;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.distributed.GradientAggregator;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.report.TrainingCurves;
import org.heatwave.simd.Simd;

/**
 * The training driver: synchronous data-parallel SGD with momentum on Spark. Each step broadcasts θ,
 * computes loss and gradient of the step's examples on the executors (one job), combines them on the
 * driver and takes the optimiser step there; each epoch ends with a test evaluation (one job). Writes the
 * run directory: {@code model/}, {@code metrics.jsonl}, {@code summary.json}, {@code config.conf} and
 * {@code training.png} (loss and accuracy curves).
 */
public final class Trainer {
    private final Settings settings;
    private final PrintStream console;

    public Trainer(Settings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    /** The outcome of a run. */
    public record Result(ObjectNode summary, double[] params, ModelSpec spec) {
    }

    /** The data directory: {@code data.path}, or Fashion-MNIST found (or fetched) automatically. */
    public String dataDirectory() throws IOException {
        if (!settings.dataName().equals(FashionMnist.NAME)) {
            throw new IllegalArgumentException("data.name '" + settings.dataName() + "' is not supported; use " + FashionMnist.NAME);
        }
        return DatasetFiles.fashionMnistDirectory(settings.dataPath());
    }

    /** Runs the whole job in {@code jsc}, writing into {@code runDir} (any Hadoop FileSystem URI). */
    public Result run(JavaSparkContext jsc, String runDir) throws IOException {
        Configuration hadoop = jsc.hadoopConfiguration();
        String dataDir = dataDirectory();
        int partitions = settings.partitions() == 0 ? jsc.defaultParallelism() : settings.partitions();
        DatasetFiles trainFiles = DatasetFiles.fashionMnist(dataDir, true, hadoop);
        DatasetFiles testFiles = DatasetFiles.fashionMnist(dataDir, false, hadoop);
        // both splits are validated (on the driver) before anything is trained or written
        try (DistributedDataset train = DistributedDataset.load(jsc, trainFiles, settings.trainLimit(), partitions,
                "load training data");
             DistributedDataset test = DistributedDataset.load(jsc, testFiles, settings.testLimit(), partitions,
                     "load test data")) {
            if (train.height() != test.height() || train.width() != test.width()) {
                throw new IOException("training images are " + train.height() + "x" + train.width() + " but test images "
                        + test.height() + "x" + test.width() + " (" + trainFiles.images() + ", " + testFiles.images() + ")");
            }
            return train(jsc, train, test, runDir, dataDir);
        }
    }

    private Result train(JavaSparkContext jsc, DistributedDataset train, DistributedDataset test, String runDir,
                         String dataDir) throws IOException {
        ModelSpec spec = new ModelSpec(train.height(), train.width(), 1, settings.widths(), settings.steps(),
                settings.stepSize(), settings.activation(), settings.normalization(), FashionMnist.NUM_CLASSES,
                settings.architecture());
        Network net = spec.network();
        long seed = settings.seed();
        double[] theta = net.init(seed);
        SgdMomentum sgd = new SgdMomentum(settings.momentum(), settings.weightDecay(), net.weightDecayMask());
        SgdMomentum.State state = SgdMomentum.State.initial(theta.length);
        Sampler sampler = new Sampler(seed, train.count(), settings.batchSize());
        int epochs = settings.epochs();
        int stepsPerEpoch = sampler.stepsPerEpoch();
        long totalSteps = (long) epochs * stepsPerEpoch;
        if (settings.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, settings.maxSteps());
        }
        LearningRate lr = new LearningRate(settings.learningRate(), settings.schedule(),
                Math.round(settings.warmupEpochs() * stepsPerEpoch), totalSteps);
        DistributedObjective objective = new DistributedObjective(jsc, spec);
        java.util.List<Regularizer> regularizers = net.regularizers(settings.timeSmoothness(),
                settings.timeSmoothness() == null ? 0 : settings.timeSmoothnessWeight(), settings.timeSmoothnessEpsilon(),
                settings.classifierSmoothnessWeight());

        Path run = new Path(runDir);
        FileSystem fs = run.getFileSystem(jsc.hadoopConfiguration());
        fs.mkdirs(run);
        AtomicFiles.writeText(fs, new Path(run, "config.conf"), settings.render());
        console.printf("heatwave · %s · %d parameters · kernels %s%n", spec, net.paramCount(),
                Simd.available() ? "SIMD (Vector API)" : "plain loops (start the JVM with " + Simd.JVM_OPTION + " for SIMD)");
        console.printf("data %s: %d training / %d test images in %d partitions · master %s · run %s%n", dataDir,
                train.count(), test.count(), train.partitions(), jsc.master(), runDir);

        Progress progress = new Progress(console, totalSteps);
        if (!regularizers.isEmpty()) {
            progress.line("regularisers: " + regularizers.stream().map(Regularizer::describe).toList());
        }
        int logEvery = settings.logEverySteps();
        long step = 0;
        double trainSeconds = 0;
        long trainImages = 0;
        LossResult lastEpoch = LossResult.ZERO;
        LossResult testResult = LossResult.ZERO;
        int epochsRun = 0;
        TrainingCurves curves = new TrainingCurves();
        try (FSDataOutputStream metricsOut = fs.create(new Path(run, "metrics.jsonl"), true)) {
            for (int epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
                int[] order = sampler.order(epoch);
                LossResult epochResult = LossResult.ZERO;
                LossResult window = LossResult.ZERO;
                long windowStart = System.nanoTime();
                for (int s = 0; s < stepsPerEpoch && step < totalSteps; s++, step++) {
                    long t0 = System.nanoTime();
                    String what = String.format(java.util.Locale.ROOT, "epoch %d/%d · step %d/%d · loss+gradient",
                            epoch + 1, epochs, s + 1, stepsPerEpoch);
                    GradientAggregator agg = objective.lossAndGradient(train, theta, sampler.batch(order, s), what);
                    LossResult r = agg.loss();
                    if (!Double.isFinite(r.loss())) {
                        throw new IllegalStateException("training diverged at step " + (step + 1) + ": loss " + r.loss()
                                + "; lower train.learning-rate (now " + settings.learningRate() + ")");
                    }
                    double[] grad = agg.gradient();
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] /= r.count();
                    }
                    double penalty = 0;
                    for (Regularizer reg : regularizers) {
                        penalty += reg.addGradient(theta, grad);
                    }
                    double rate = lr.at(step);
                    state = sgd.step(theta, grad, state, rate);
                    net.project(theta);
                    if (net.statisticsCount() > 0) {
                        net.absorbStatistics(theta, agg.statistics(), settings.batchNormMomentum());
                    }
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    trainImages += r.count();
                    epochResult = epochResult.plus(r);
                    window = window.plus(r);
                    if ((step + 1) % logEvery == 0 || s == stepsPerEpoch - 1) {
                        double ips = window.count() / ((System.nanoTime() - windowStart) / 1e9);
                        progress.step(epoch + 1, epochs, s + 1, stepsPerEpoch, window.meanLoss(), window.accuracy(), ips, step + 1);
                        ObjectNode m = Json.object();
                        m.put("kind", "train").put("epoch", epoch + 1).put("step", step + 1).put("loss", window.meanLoss())
                                .put("accuracy", window.accuracy()).put("regularizer", penalty).put("learning_rate", rate)
                                .put("images_per_second", ips).put("elapsed_seconds", progress.elapsedSeconds());
                        writeLine(metricsOut, m);
                        curves.addTrain(trainImages, window.meanLoss(), window.accuracy());
                        window = LossResult.ZERO;
                        windowStart = System.nanoTime();
                    }
                }
                lastEpoch = epochResult;
                epochsRun = epoch + 1;
                testResult = objective.evaluate(test, theta, "epoch " + (epoch + 1) + "/" + epochs + " · test evaluation");
                curves.addTest(trainImages, testResult.meanLoss(), testResult.accuracy());
                progress.line(String.format(java.util.Locale.ROOT,
                        "epoch %d/%d done · train loss %.4f · train acc %.2f%% · test loss %.4f · test acc %.2f%% · %s elapsed",
                        epoch + 1, epochs, epochResult.meanLoss(), 100 * epochResult.accuracy(), testResult.meanLoss(),
                        100 * testResult.accuracy(), Progress.duration(progress.elapsedSeconds())));
                ObjectNode m = Json.object();
                m.put("kind", "epoch").put("epoch", epoch + 1).put("step", step).put("train_loss", epochResult.meanLoss())
                        .put("train_accuracy", epochResult.accuracy()).put("test_loss", testResult.meanLoss())
                        .put("test_accuracy", testResult.accuracy()).put("elapsed_seconds", progress.elapsedSeconds());
                writeLine(metricsOut, m);
            }
        }

        ObjectNode summary = Json.object();
        summary.put("test_accuracy", testResult.accuracy());
        summary.put("test_loss", testResult.meanLoss());
        summary.put("test_images", testResult.count());
        summary.put("train_loss", lastEpoch.meanLoss());
        summary.put("train_accuracy", lastEpoch.accuracy());
        summary.put("epochs", epochsRun);
        summary.put("steps", step);
        summary.put("train_images", trainImages);
        summary.put("train_seconds", trainSeconds);
        summary.put("train_images_per_second", trainImages / Math.max(trainSeconds, 1e-9));
        summary.put("wall_seconds", progress.elapsedSeconds());
        summary.put("params", net.paramCount());
        summary.put("spark_master", jsc.master());
        summary.put("partitions", train.partitions());
        summary.put("seed", seed);
        summary.put("batch_size", settings.batchSize());
        summary.put("model", spec.toString());
        summary.put("data", dataDir);

        ObjectNode metadata = Json.object();
        metadata.put("seed", seed).put("steps", step).put("epochs", epochsRun).put("test_accuracy", testResult.accuracy())
                .put("data", dataDir);
        ModelIO.save(new Path(run, "model").toString(), spec, theta, metadata, jsc.hadoopConfiguration());
        AtomicFiles.writeText(fs, new Path(run, "summary.json"), Json.PRETTY.writeValueAsString(summary) + "\n");
        AtomicFiles.writeBytesAtomically(fs, new Path(run, "training.png"), curves.png(spec.architecture() + " " + java.util.Arrays.toString(spec.widths())));
        console.printf(java.util.Locale.ROOT, "done · test accuracy %.2f%% · %d images in %.1f s (%.0f img/s) · model %s/model%n",
                100 * testResult.accuracy(), trainImages, trainSeconds, trainImages / Math.max(trainSeconds, 1e-9), runDir);
        return new Result(summary, theta, spec);
    }

    private static void writeLine(FSDataOutputStream out, ObjectNode m) throws IOException {
        out.write((Json.MAPPER.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
        out.hflush();
    }
}
