package org.heatwave.pipeline.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.heatwave.datasets.IdxFile;
import org.heatwave.datasets.IdxWriter;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.ml.BatchPrediction;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.heatwave.simd.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heatwave check}: this machine's set-up in one short run — Java, the SIMD kernels, Spark in local mode, and
 * one epoch of the default network on {@value #TRAIN} generated 28×28 images of 10 classes (class {@code k}: a bright
 * bar at rows {@code 2k+4 … 2k+6} in noise) through the same {@link Trainer} as {@code train}, then its
 * {@value #TEST} test images classified by the trained model through the same {@link BatchPrediction} as
 * {@code predict}, in a temporary directory that is deleted afterwards.
 *
 * <p>The build runs it once to record the classes a training run and a prediction run load into a class-data-sharing
 * archive ({@code pipeline/target/heatwave.jsa}), which {@code bin/heatwave} then maps instead of loading and verifying
 * those classes again: Spark and the data ready 1.0–1.6 s sooner (BENCHMARKS.md, issue 18).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check this machine's set-up: Java, SIMD kernels, Spark local mode, a short training run on generated"
                + " images and a prediction with its model (nothing is kept).")
final class CheckCommand implements Callable<Integer> {
    static final int TRAIN = 256;
    static final int TEST = 64;
    static final int BATCH = 64;

    @Option(names = "--master", paramLabel = "MASTER", defaultValue = "local[*]",
            description = "Spark master whose executors run on this machine: local[N] or local-cluster[...] (default: ${DEFAULT-VALUE}).")
    String master;

    @Override
    public Integer call() throws IOException {
        System.out.printf("Java %s (%s) · %d cores · kernels %s%n", Runtime.version(), System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors(),
                Simd.available() ? "SIMD (Vector API)" : "plain loops (start the JVM with " + Simd.JVM_OPTION + " for SIMD)");
        Path dir = Files.createTempDirectory("heatwave-check");
        try {
            writeSplit(dir, true, TRAIN, 1);
            writeSplit(dir, false, TEST, 2);
            Settings settings = Settings.load(null, List.of("data.path=" + dir.toUri(), "spark.master=" + master,
                    "train.epochs=1", "train.batch-size=" + BATCH, "data.shards=2", "log.every-steps=1", "train.checkpoint-minutes=0"));
            try (JavaSparkContext jsc = SparkContexts.create("heatwave check", master)) {
                Trainer.Result result = new Trainer(settings, System.out).run(jsc, dir.resolve("run").toUri().toString());
                BatchPrediction.Outcome predicted = BatchPrediction.run(SparkSession.builder().sparkContext(jsc.sc()).getOrCreate(),
                        dir.resolve("run").resolve("model").toUri().toString(), dir.toUri().toString(), "idx",
                        dir.resolve("predictions").toUri().toString());
                System.out.printf("check passed: one epoch trained and evaluated in Spark (%s, test accuracy %.1f %% after %d"
                        + " steps: a set-up check, not a benchmark); its model classified the %d test images%n", jsc.master(),
                        100 * result.summary().path("test_accuracy").asDouble(), TRAIN / BATCH, predicted.count());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return ExitCodes.OK;
    }

    /** {@code count} images of class {@code i mod 10}, gzip IDX files named as Fashion-MNIST's. */
    private static void writeSplit(Path dir, boolean train, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 28 * 28];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < 28 * 28; p++) {
                int row = p / 28;
                boolean bar = row >= 2 * labels[i] + 4 && row <= 2 * labels[i] + 6;
                pixels[i * 28 * 28 + p] = (byte) (bar ? 160 + random.nextInt(96) : random.nextInt(64));
            }
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(IdxFile.images(train).baseName() + ".gz")))) {
            IdxWriter.writeImages(out, count, 28, 28, pixels);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(IdxFile.labels(train).baseName() + ".gz")))) {
            IdxWriter.writeLabels(out, labels);
        }
    }
}
