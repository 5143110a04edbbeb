package org.heatwave.pipeline.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.heatwave.pipeline.ChildJvm;
import org.heatwave.pipeline.cli.ExitCodes;
import org.heatwave.pipeline.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retraining killed in each phase — training, evaluation, registering the version, moving the champion — by a real
 * abrupt stop of its JVM ({@link HaltingFileSystem}: no clean-up runs, the lock stays behind): after each kill the
 * registry reads as before the run, the next run takes the dead run's lock over and goes on from where it stopped,
 * and the last one completes to exactly what an uninterrupted night gives: the same decision, the same model bits.
 */
class RetrainingCrashTest {
    @TempDir
    Path tmp;

    private static final Configuration CONF = new Configuration();

    static {
        CONF.set("fs.halting.impl", HaltingFileSystem.class.getName());
    }

    /** The runs of this JVM (the reference nights, the last run) read the registry through the scheme too. */
    @org.junit.jupiter.api.BeforeAll
    static void registerTheScheme() {
        System.setProperty("spark.hadoop.fs.halting.impl", HaltingFileSystem.class.getName());
    }

    @org.junit.jupiter.api.AfterAll
    static void unregisterTheScheme() {
        System.clearProperty("spark.hadoop.fs.halting.impl");
    }

    @Test
    @Timeout(400)
    void aRunKilledInAnyPhaseLeavesTheRegistryConsistentAndTheNextRunCompletesIt() throws Exception {
        Path incoming = Files.createDirectories(tmp.resolve("incoming"));
        RetrainingTest.deliver(incoming, "date=2026-12-01", 160, 64, 1, false);
        String reference = tmp.resolve("reference").toString(), crashed = "halting://" + tmp.resolve("crashed");
        String[] checkpointed = {"train.checkpoint-every=3"};
        for (String registry : List.of(reference, crashed)) {
            RetrainingTest.Cli night1 = RetrainingTest.heatwave(RetrainingTest.retrain(tmp, registry, incoming, checkpointed));
            assertEquals(ExitCodes.OK, night1.code(), night1.err());
        }
        RetrainingTest.deliver(incoming, "date=2026-12-02", 320, 64, 2, false);
        RetrainingTest.Cli uninterrupted = RetrainingTest.heatwave(RetrainingTest.retrain(tmp, reference, incoming, checkpointed));
        assertEquals(ExitCodes.OK, uninterrupted.code(), uninterrupted.err());

        ModelRegistry r = ModelRegistry.open(crashed, CONF);
        String[] phases = {".*/checkpoints/step-\\d+\\.ckpt", ".*/staging/.*/evaluation\\.json", ".*/versions/v\\d+",
                ".*/decisions/\\d+\\.json"};
        String[] expectedOutput = {"retrain: warm start from v1", "resuming ", "retrain: evaluating the challenger",
                "retrain: registered v2"};
        for (int i = 0; i < phases.length; i++) {
            String out = killedAt(crashed, incoming, phases[i], i == 0 ? 2 : 1, checkpointed);
            assertTrue(out.contains(expectedOutput[i]), phases[i] + ": " + out);
            if (i > 0) {
                assertTrue(out.contains("took over the stale registry lock"), out);
            }
            assertEquals(1, r.champion().orElseThrow(), "the champion stays v1 after a kill at " + phases[i]);
            assertEquals(1, r.decisions().size(), "no decision half-written at " + phases[i]);
            assertEquals(i == 3 ? List.of(1, 2) : List.of(1), r.versions().stream().map(ModelVersion::version).toList(),
                    "a version is there whole or not at all at " + phases[i]);
            assertTrue(r.lockHolder().isPresent(), "the killed run's lock stays behind");
        }
        RetrainingTest.Cli last = RetrainingTest.heatwave(RetrainingTest.retrain(tmp, crashed, incoming, checkpointed));
        assertEquals(ExitCodes.OK, last.code(), last.err());
        assertTrue(last.out().contains("v2 was registered by a run that stopped before deciding; deciding it now"), last.out());
        assertEquals(uninterrupted.decision().get("decision"), last.decision().get("decision"));
        assertEquals(uninterrupted.decision().get("champion"), last.decision().get("champion"));
        assertEquals(uninterrupted.decision().get("reasons"), last.decision().get("reasons"));
        ModelRegistry ref = ModelRegistry.open(reference, CONF);
        assertArrayEquals(ref.versionFile(2, "model/params.bin"), r.versionFile(2, "model/params.bin"),
                "the model of the killed-and-resumed night is the uninterrupted night's, bit for bit");
        assertEquals(Json.MAPPER.readTree(ref.versionFile(2, ModelRegistry.EVALUATION)),
                Json.MAPPER.readTree(r.versionFile(2, ModelRegistry.EVALUATION)));
        assertTrue(r.lockHolder().isEmpty(), "released");
        assertEquals(List.of(), List.of(new File(tmp.resolve("crashed/staging").toString()).list()), "staging cleaned");
        assertEquals(ExitCodes.OK, RetrainingTest.heatwave(RetrainingTest.retrain(tmp, crashed, incoming, checkpointed)).code());
    }

    /** Runs the retraining in a new JVM that halts at the {@code count}-th rename into {@code phase}; its output. */
    private String killedAt(String registry, Path incoming, String phase, int count, String... extra) throws Exception {
        List<String> command = ChildJvm.heatwave(List.of("-Dspark.hadoop.fs.halting.impl=" + HaltingFileSystem.class.getName(),
                "-Dhalting.at=" + phase, "-Dhalting.count=" + count), RetrainingTest.retrain(tmp, registry, incoming, extra));
        File log = tmp.resolve("killed.log").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the run ends");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log.toPath());
        assertEquals(HaltingFileSystem.HALTED, p.exitValue(), "halted at " + phase + ": " + out);
        return out;
    }
}
