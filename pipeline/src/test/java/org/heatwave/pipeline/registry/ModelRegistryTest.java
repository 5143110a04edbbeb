package org.heatwave.pipeline.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.train.TemporaryFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's contract without Spark: versions written whole, a history whose newest decision names the champion,
 * rollback and promotion, temporaries of killed writers never read, and the lock — exclusive, stale when its process
 * is gone or it was not renewed, taken over exactly once, fencing a holder that lost it — on the local file system
 * and on HDFS ({@link MiniDFSCluster}).
 */
class ModelRegistryTest {
    @TempDir
    java.nio.file.Path tmp;

    private final Configuration conf = new Configuration();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static ModelVersion lineage(int n, Integer parent) {
        DataProfile p = new DataProfile(List.of("a", "b"), 1, 8, 8, new long[] {5, 5}, new double[] {0.2},
                new double[] {0.1});
        return new ModelVersion(n, Instant.now().toString(), "test", parent, "snap" + n, "/data", List.of("."), "key" + n,
                "seed = 1", p, 0.9, 0.3, 10, 1.0);
    }

    private static void register(ModelRegistry r, RegistryLock lock, int n) throws IOException {
        r.writeVersion(lock, n, (fs, dir) -> AtomicFiles.writeBytes(fs, new Path(dir, ModelRegistry.LINEAGE),
                Json.PRETTY.writeValueAsBytes(lineage(n, n == 1 ? null : n - 1))));
    }

    private static Decision decision(ModelRegistry r, String kind, Integer champion, Integer challenger) throws IOException {
        return new Decision(r.nextDecision(), kind, champion, challenger, List.of("test"), Instant.now().toString(),
                "key" + challenger, null, null, "test");
    }

    @Test
    void historyNamesTheChampionAndRollbackAndPromotionMoveIt() throws IOException {
        ModelRegistry r = ModelRegistry.openOrCreate(tmp.resolve("registry").toString(), conf);
        assertTrue(r.champion().isEmpty());
        try (RegistryLock lock = r.lock("test", 10, console)) {
            register(r, lock, 1);
            r.decide(lock, decision(r, Decision.PROMOTED, 1, 1));
            register(r, lock, 2);
            r.decide(lock, decision(r, Decision.PROMOTED, 2, 2));
            register(r, lock, 3);
            r.decide(lock, decision(r, Decision.KEPT, 2, 3));
            assertEquals(2, r.champion().orElseThrow());
            assertEquals(4, r.nextVersion());
            Decision back = r.rollback(lock, null, "operator");
            assertEquals(Decision.ROLLBACK, back.decision());
            assertEquals(1, back.champion(), "the champion before v2");
            assertEquals(List.of("rolled back from v2 to v1"), back.reasons());
            assertEquals(1, r.champion().orElseThrow());
            assertEquals(3, r.promote(lock, 3, "operator").champion());
            assertEquals(3, r.champion().orElseThrow());
            assertEquals(2, r.rollback(lock, 2, "operator").champion(), "--to 2");
            FileNotFoundException missing = assertThrows(FileNotFoundException.class, () -> r.promote(lock, 9, "operator"));
            assertTrue(missing.getMessage().contains("has no version 9 (versions: [1, 2, 3])"), missing.getMessage());
            assertThrows(IllegalStateException.class, () -> r.decide(lock, new Decision(3, Decision.KEPT, 2, null,
                    List.of(), "t", null, null, null, "x")), "a decision number that is not the next one");
        }
        ModelRegistry again = ModelRegistry.open(tmp.resolve("registry").toString(), conf);
        assertEquals(List.of(1, 2, 2, 1, 3, 2), again.decisions().stream().map(Decision::champion).toList());
        assertEquals(List.of(1, 2, 3), again.versions().stream().map(ModelVersion::version).toList());
        assertEquals(1, again.version(2).parent());
        assertEquals(2, again.json().get("champion").asInt());
        assertFalse(again.json().get("versions").get(0).has("config"), "list --json leaves the configurations out");
    }

    @Test
    void rollbackWithoutAnEarlierChampionIsRefused() throws IOException {
        ModelRegistry r = ModelRegistry.openOrCreate(tmp.resolve("registry").toString(), conf);
        try (RegistryLock lock = r.lock("test", 10, console)) {
            register(r, lock, 1);
            r.decide(lock, decision(r, Decision.PROMOTED, 1, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.rollback(lock, null, "op"));
            assertTrue(e.getMessage().endsWith("has had no champion before v1 to roll back to"), e.getMessage());
        }
    }

    @Test
    void aDirectoryThatIsNotARegistryIsNeitherReadNorWritten() throws IOException {
        java.nio.file.Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> ModelRegistry.openOrCreate(other.toString(), conf));
        assertTrue(e.getMessage().contains("exists and is not a model registry"), e.getMessage());
        assertThrows(FileNotFoundException.class, () -> ModelRegistry.open(tmp.resolve("none").toString(), conf));
        assertEquals(List.of("notes.txt"), List.of(other.toFile().list()));
    }

    @Test
    void temporariesOfAKilledWriterAreNeverReadAndRemovedByTheNextHolder() throws IOException {
        ModelRegistry r = ModelRegistry.openOrCreate(tmp.resolve("registry").toString(), conf);
        FileSystem fs = FileSystem.getLocal(conf);
        Path half = AtomicFiles.temporarySibling(r.versionDirectory(1));
        fs.mkdirs(new Path(half, "model"));
        Path halfDecision = AtomicFiles.temporarySibling(new Path(r.uri(), "decisions/000001.json"));
        fs.create(halfDecision).close();
        assertTrue(r.versions().isEmpty());
        assertTrue(r.decisions().isEmpty());
        assertEquals(1, r.nextVersion());
        try (RegistryLock lock = r.lock("test", 10, console)) {
            r.clean(lock, null, console);
        }
        assertFalse(fs.exists(half));
        assertFalse(fs.exists(halfDecision));
    }

    @Test
    void theLockIsExclusiveOnTheLocalFileSystem() throws Exception {
        assertLockContract(ModelRegistry.openOrCreate(tmp.resolve("registry").toString(), conf));
    }

    @Test
    void theLockIsExclusiveOnHdfs() throws Exception {
        Configuration hdfsConf = new Configuration();
        File base = tmp.resolve("hdfs").toFile();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(hdfsConf, base).numDataNodes(1).build();
        try {
            cluster.waitActive();
            ModelRegistry r = ModelRegistry.openOrCreate(cluster.getURI() + "/registries/r", hdfsConf);
            assertLockContract(r);
            try (RegistryLock lock = r.lock("test", 10, console)) {
                register(r, lock, 1);
                r.decide(lock, decision(r, Decision.PROMOTED, 1, 1));
            }
            assertEquals(1, ModelRegistry.open(cluster.getURI() + "/registries/r", hdfsConf).champion().orElseThrow());
        } finally {
            cluster.shutdown();
        }
    }

    /** Held → 75 naming the holder; released → free; a dead holder's and an unrenewed lock taken over; fencing. */
    private void assertLockContract(ModelRegistry r) throws Exception {
        FileSystem fs = r.fs();
        Path lockFile = new Path(r.uri(), ModelRegistry.LOCK);
        try (RegistryLock first = r.lock("first run", 10, console)) {
            TemporaryFailure held = assertThrows(TemporaryFailure.class, () -> r.lock("second run", 10, console));
            assertTrue(held.getMessage().contains("is locked by 'first run' (pid " + ProcessHandle.current().pid()),
                    held.getMessage());
            assertEquals("first run", r.lockHolder().orElseThrow().command());
            first.requireHeld();
        }
        assertTrue(r.lockHolder().isEmpty(), "released");

        // a holder on this host whose process is gone: stale at once
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        writeLock(fs, lockFile, new RegistryLock.Holder("dead-token", hostName(), gone.pid(), "2026-01-01T00:00:00Z",
                "killed run"));
        try (RegistryLock taken = r.lock("next run", 10, console)) {
            assertEquals("next run", r.lockHolder().orElseThrow().command());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("took over the stale registry lock of 'killed run'"),
                    log.toString(StandardCharsets.UTF_8));
            assertFalse(fs.exists(new Path(lockFile.getParent(), "lock.stale-dead-token")), "the stale lock is removed");
        }

        // another host's lock: valid while renewed, stale after the timeout
        writeLock(fs, lockFile, new RegistryLock.Holder("far-token", "another-host", 1, "2026-01-01T00:00:00Z", "far run"));
        assertThrows(TemporaryFailure.class, () -> r.lock("next run", 10, console), "renewed just now");
        fs.setTimes(lockFile, System.currentTimeMillis() - 11 * 60_000, -1);
        RegistryLock late = r.lock("next run", 10, console);
        // the far run wakes up and takes it back: the late run must change nothing more
        fs.delete(lockFile, false);
        writeLock(fs, lockFile, new RegistryLock.Holder("far-token", "another-host", 1, "2026-01-01T00:00:00Z", "far run"));
        TemporaryFailure fenced = assertThrows(TemporaryFailure.class, late::requireHeld);
        assertTrue(fenced.getMessage().contains("no longer holds the registry lock"), fenced.getMessage());
        late.close();
        assertEquals("far run", r.lockHolder().orElseThrow().command(), "closing a lost lock leaves the new holder's");
        fs.delete(lockFile, false);
    }

    private static void writeLock(FileSystem fs, Path file, RegistryLock.Holder h) throws IOException {
        try (var out = fs.create(file, true)) {
            out.write(Json.MAPPER.writeValueAsBytes(h));
        }
    }

    private static String hostName() throws IOException {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void dataChecksFindDriftBeyondTheirThresholds() {
        DataProfile champion = new DataProfile(List.of("a", "b"), 1, 8, 8, new long[] {50, 50}, new double[] {0.30},
                new double[] {0.10});
        DataProfile same = new DataProfile(List.of("a", "b"), 1, 8, 8, new long[] {55, 45}, new double[] {0.32},
                new double[] {0.11});
        DataChecks.Result ok = DataChecks.run(same, champion, 0.06, 0.25, true);
        assertFalse(ok.drift());
        assertEquals(5, ok.checks().size(), "classes, image shape, class balance, mean, standard deviation");
        assertEquals(0.05, DataChecks.totalVariation(new long[] {55, 45}, new long[] {50, 50}), 1e-12);
        DataProfile skewed = new DataProfile(List.of("a", "b"), 1, 8, 8, new long[] {80, 20}, new double[] {0.30},
                new double[] {0.10});
        DataChecks.Result balance = DataChecks.run(skewed, champion, 0.05, 0.25, false);
        assertTrue(balance.drift());
        assertFalse(balance.refused(), "reported, not refused");
        assertEquals(List.of("class balance: total variation distance 0.3000 (beyond 0.0500)"), balance.findings());
        DataProfile brighter = new DataProfile(List.of("a", "b"), 1, 8, 8, new long[] {50, 50}, new double[] {0.33},
                new double[] {0.10});
        DataChecks.Result pixels = DataChecks.run(brighter, champion, 0.05, 0.25, true);
        assertTrue(pixels.refused());
        assertTrue(pixels.findings().get(0).startsWith("pixels mean: 0.3300 (champion 0.3000): shift 0.300 σ"),
                pixels.findings().toString());
        DataProfile bigger = new DataProfile(List.of("a", "b"), 1, 16, 16, new long[] {50, 50}, new double[] {0.3},
                new double[] {0.1});
        DataChecks.Result shape = DataChecks.run(bigger, champion, 1, 1, false);
        assertTrue(shape.schemaMismatch() && shape.refused(), "another image size is refused whatever the settings");
        assertEquals(List.of("image shape: 1x16x16 (beyond the champion's 1x8x8)"), shape.findings());
        assertTrue(DataChecks.run(bigger, null, 0, 0, true).checks().isEmpty(), "no champion: nothing to compare");
    }

    @Test
    void everyGateIsReportedAndAllMustPass() {
        var champion = new org.heatwave.pipeline.ml.ClassifierEvaluation(List.of("a", "b"),
                new long[][] {{90, 10}, {10, 90}}, 40);
        var better = new org.heatwave.pipeline.ml.ClassifierEvaluation(List.of("a", "b"),
                new long[][] {{95, 5}, {12, 88}}, 35);
        PromotionGate gate = new PromotionGate(1.0, 0.5, 80, 0);
        List<PromotionGate.Gate> gates = gate.evaluate(better, champion);
        assertEquals(List.of("finite", "no regression", "improvement", "class floor"),
                gates.stream().map(PromotionGate.Gate::name).toList());
        assertTrue(PromotionGate.passed(gates), gates.toString());
        assertEquals("improvement passed: accuracy 91.50 % against the champion's 90.00 % + margin 0.50",
                gates.get(2).toString());
        List<PromotionGate.Gate> floor = new PromotionGate(1.0, 0.5, 90, 0).evaluate(better, champion);
        assertFalse(PromotionGate.passed(floor));
        assertEquals("class floor failed: below 90.00 %: b 88.00 %", floor.get(3).toString());
        var worse = new org.heatwave.pipeline.ml.ClassifierEvaluation(List.of("a", "b"),
                new long[][] {{85, 15}, {12, 88}}, 45);
        List<PromotionGate.Gate> regression = gate.evaluate(worse, champion);
        assertArrayEquals(new boolean[] {true, false, false, true}, new boolean[] {regression.get(0).passed(),
                regression.get(1).passed(), regression.get(2).passed(), regression.get(3).passed()});
        var nan = new org.heatwave.pipeline.ml.ClassifierEvaluation(List.of("a", "b"),
                new long[][] {{100, 0}, {0, 100}}, Double.NaN);
        assertFalse(gate.evaluate(nan, champion).get(0).passed(), "a NaN loss is not finite");
        List<PromotionGate.Gate> first = new PromotionGate(1, 0, 0, 95).evaluate(better, null);
        assertEquals(List.of("finite", "minimum accuracy", "class floor"), first.stream().map(PromotionGate.Gate::name).toList());
        assertFalse(first.get(1).passed(), "91.5 % < 95 % for a first model");
    }
}
