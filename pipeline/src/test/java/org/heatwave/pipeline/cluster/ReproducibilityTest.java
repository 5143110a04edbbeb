package org.heatwave.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.pipeline.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's signature: the same seed gives the same parameters, bit for bit (SHA-256), for 1 partition on
 * {@code local[1]}, 4 partitions on {@code local[2]}, 4 partitions with every first attempt of a task
 * failing and retried, and 3 partitions on a real multi-JVM {@code local-cluster[2,1,1024]} — batch
 * normalisation included, since it normalises per micro-batch.
 */
class ReproducibilityTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = TinyDataset.write(tmp.resolve("data"), 240, 48, 8, 14);
    }

    private static Settings settings(String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + data, "model.widths=[4,8]", "model.steps=2",
                "data.shards=12", "train.batch-size=48", "train.max-steps=12", "train.epochs=3", "train.learning-rate=0.1",
                "log.every-steps=4"));
        o.addAll(List.of(extra));
        return Settings.load(null, o);
    }

    /** Fails the first attempt of every task of partition 1 (runs on the executors: a static method, nothing captured). */
    private static void failFirstAttemptOfPartitionOne(int partition) {
        if (partition == 1 && TaskContext.get().attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of a first attempt");
        }
    }

    private static String trainedHash(String master, String run, Settings s, boolean injectFailures) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Trainer trainer = new Trainer(s, quiet);
        if (injectFailures) {
            trainer = trainer.withTaskHook(ReproducibilityTest::failFirstAttemptOfPartitionOne);
        }
        try (JavaSparkContext jsc = SparkContexts.create("heatwave reproducibility test", master)) {
            return sha256(trainer.run(jsc, tmp.resolve(run).toString()).params());
        }
    }

    static String sha256(double[] params) {
        ByteBuffer b = ByteBuffer.allocate(8 * params.length);
        b.asDoubleBuffer().put(params);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(300)
    void sameBitsUnderAnyPartitioningRetryAndCluster() throws IOException {
        for (String normalization : List.of("instance", "batch")) {
            Map<String, String> hashes = new LinkedHashMap<>();
            String n = "model.normalization=" + normalization;
            hashes.put("local[1], 1 partition", trainedHash("local[1]", normalization + "-1", settings(n, "data.partitions=1"), false));
            hashes.put("local[2], 4 partitions", trainedHash("local[2]", normalization + "-4", settings(n, "data.partitions=4"), false));
            hashes.put("local[2,2], 4 partitions, retried tasks",
                    trainedHash("local[2,2]", normalization + "-retried", settings(n, "data.partitions=4"), true));
            if (normalization.equals("instance")) {
                hashes.put("local-cluster[2,1,1024], 3 partitions",
                        trainedHash("local-cluster[2,1,1024]", normalization + "-cluster", settings(n, "data.partitions=3"), false));
            }
            assertEquals(1, hashes.values().stream().distinct().count(), normalization + ": " + hashes);
        }
        // and the seed does matter
        assertTrue(!trainedHash("local[2]", "other-seed", settings("seed=2"), false)
                .equals(trainedHash("local[2]", "seed-1", settings(), false)));
    }

    /** Augmentation draws by global example index: random shifts, mirror images and smoothed targets keep the bits. */
    @Test
    @Timeout(300)
    void augmentedTrainingGivesTheSameBitsUnderAnyPartitioningAndRetry() throws IOException {
        String[] augment = {"train.augment-shift=2", "train.augment-flip=true", "train.label-smoothing=0.1"};
        String one = trainedHash("local[1]", "augmented-1", settings(with(augment, "data.partitions=1")), false);
        String four = trainedHash("local[2,2]", "augmented-4-retried", settings(with(augment, "data.partitions=4")), true);
        String three = trainedHash("local[2]", "augmented-3", settings(with(augment, "data.partitions=3")), false);
        assertEquals(one, four, "1 partition against 4 with retried tasks");
        assertEquals(one, three, "1 partition against 3");
        assertTrue(!one.equals(trainedHash("local[2]", "not-augmented", settings("data.partitions=3"), false)),
                "augmentation changes the training");
    }

    private static String[] with(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
