package org.heatwave.pipeline.registry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.config.ConfigurationException;
import org.heatwave.pipeline.config.Keys;
import org.heatwave.pipeline.config.Setting;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DataSnapshot;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.ModelIO;
import org.heatwave.pipeline.ml.ClassifierEvaluation;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.train.Trainer;

/**
 * One scheduled retraining (issue 17): everything under {@code data.path} now, trained warm from the champion (or cold),
 * compared with the champion on the same held-out set, registered, and promoted only through the
 * {@link PromotionGate}. The phases, each safe to be killed in:
 * <ol>
 *   <li><b>lock</b> the registry ({@link RegistryLock}; held: exit 75) and remove what killed runs left;</li>
 *   <li><b>snapshot</b> the data ({@link DataSnapshot}); the run's key is the snapshot's fingerprint and every setting
 *       that changes the model or the decision. A decision with that key exists: {@code unchanged}, nothing
 *       trained or written;</li>
 *   <li><b>load</b> the parts and check that none changed meanwhile; <b>check</b> them against the champion's
 *       training data ({@link DataChecks});</li>
 *   <li><b>train</b> into the staging directory of the key — warm from the champion for {@code retrain.warm-epochs}
 *       when the configured network is the champion's, cold for {@code train.epochs} otherwise; a killed training
 *       continues from its checkpoint, to the same bits;</li>
 *   <li><b>evaluate</b> challenger and champion on the held-out set (the test splits of all parts);</li>
 *   <li><b>register</b> the challenger as the next version (written whole), with its lineage;</li>
 *   <li><b>decide</b>: the report, then the decision (one rename moves the champion), then the staging directory
 *       is removed. A version registered by a run killed before deciding is decided by the next run of the same
 *       key, from its stored evaluation.</li>
 * </ol>
 */
public final class Retraining {
    /**
     * Settings that change neither the model nor the decision (where Spark runs, partitions, logging,
     * checkpoints, the lock's timeout): not part of a run's key, so changing them does not retrain.
     */
    private static final Set<String> NOT_IN_KEY = Set.of(Keys.SPARK_MASTER.key(), Keys.DATA_PARTITIONS.key(),
            Keys.LOG_EVERY_STEPS.key(), Keys.LOG_HEARTBEAT_SECONDS.key(), Keys.CHECKPOINT_EVERY.key(), Keys.CHECKPOINT_MINUTES.key(),
            Keys.CHECKPOINT_KEEP.key(), Keys.RETRAIN_LOCK_TIMEOUT_MINUTES.key());

    private final Settings settings;
    private final PrintStream console;
    private final String by;

    /** The outcome: the decision, and whether the data were refused (exit 65). */
    public record Outcome(Decision decision, boolean refused) {
    }

    /** Challenger and champion evaluated on one held-out set ({@code evaluation.json}). */
    public record Comparison(Integer championVersion, ClassifierEvaluation champion, ClassifierEvaluation challenger) {
    }

    public Retraining(Settings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
        this.by = "heatwave retrain (" + System.getProperty("user.name", "unknown") + ")";
        if (settings.get(Keys.DATA_PATH).isEmpty() || !settings.get(Keys.DATA_PYRAMID).isEmpty()
                || settings.ints(Keys.MULTILEVEL_LEVELS).length > 0) {
            throw new ConfigurationException("retraining reads data.path, the directory new data arrive in (one"
                    + " subdirectory per delivery, each in data.format); data.pyramid and multilevel.levels are not used"
                    + " by it" + (settings.get(Keys.DATA_PATH).isEmpty() ? ": set data.path" : ": leave them empty"), null);
        }
    }

    /**
     * Runs one retraining against {@code registry} (created if absent). Spark is started through {@code spark} only
     * when there is something to train or evaluate.
     */
    public Outcome run(String registryUri, Configuration hadoop, Supplier<JavaSparkContext> spark) throws IOException {
        ModelRegistry registry = ModelRegistry.openOrCreate(registryUri, hadoop);
        try (RegistryLock lock = registry.lock(by, settings.get(Keys.RETRAIN_LOCK_TIMEOUT_MINUTES), console)) {
            return new Run(registry, lock, hadoop).run(spark);
        }
    }

    /** The key of a retraining of {@code snapshot} with these settings. */
    String runKey(DataSnapshot snapshot) {
        StringBuilder b = new StringBuilder(snapshot.fingerprint()).append('\n');
        for (Setting<?> s : Keys.all()) {
            if (!NOT_IN_KEY.contains(s.key())) {
                b.append(s.key()).append('=').append(render(s)).append('\n');
            }
        }
        return sha256(b.toString());
    }

    private <T> String render(Setting<T> s) {
        return s.render(settings.get(s));
    }

    /** One run, under the lock. */
    private final class Run {
        private final ModelRegistry registry;
        private final RegistryLock lock;
        private final Configuration hadoop;

        Run(ModelRegistry registry, RegistryLock lock, Configuration hadoop) {
            this.registry = registry;
            this.lock = lock;
            this.hadoop = hadoop;
        }

        Outcome run(Supplier<JavaSparkContext> spark) throws IOException {
            DataSnapshot snapshot = DataSnapshot.take(settings.get(Keys.DATA_PATH), settings.get(Keys.DATA_FORMAT), hadoop);
            String key = runKey(snapshot);
            registry.clean(lock, key, console);
            Integer champion = registry.champion().orElse(null);
            console.printf(Locale.ROOT, "retrain: %s, champion %s; data %s: %d part(s), %d files, %.1f MB (snapshot %s)%n",
                    registry.uri(), champion == null ? "none" : "v" + champion, snapshot.root(), snapshot.parts().size(),
                    snapshot.files(), snapshot.bytes() / 1e6, snapshot.fingerprint().substring(0, 12));
            Optional<Decision> same = registry.decisions().stream().filter(d -> key.equals(d.runKey()))
                    .reduce((a, b) -> b);
            if (same.isPresent()) {
                Decision d = same.get();
                return new Outcome(new Decision(0, Decision.UNCHANGED, champion, null, List.of("these data and settings"
                        + " were decided in decision " + d.number() + " (" + d.decision() + (d.challenger() == null ? ""
                        : " v" + d.challenger()) + ", " + d.time() + "): nothing to train"), Instant.now().toString(), key,
                        snapshot.fingerprint(), d.report(), by), false);
            }
            Optional<ModelVersion> undecided = undecided(key);
            if (undecided.isPresent()) {
                Comparison stored = Json.MAPPER.readValue(registry.versionFile(undecided.get().version(),
                        ModelRegistry.EVALUATION), Comparison.class);
                if (java.util.Objects.equals(stored.championVersion(), champion)) {
                    console.println("retrain: v" + undecided.get().version() + " was registered by a run that stopped"
                            + " before deciding; deciding it now");
                    DataChecks.Result checks = Json.MAPPER.readValue(registry.versionFile(undecided.get().version(),
                            ModelRegistry.CHECKS), DataChecks.Result.class);
                    return decide(undecided.get(), stored, checks, key, snapshot);
                }
            }
            return train(spark.get(), snapshot, key, champion, undecided);
        }

        /** A version of this key that no decision has named (its run stopped between registering and deciding). */
        private Optional<ModelVersion> undecided(String key) throws IOException {
            Set<Integer> named = new java.util.HashSet<>();
            for (Decision d : registry.decisions()) {
                named.add(d.challenger());
            }
            return registry.versions().stream().filter(v -> key.equals(v.runKey()) && !named.contains(v.version()))
                    .reduce((a, b) -> b);
        }

        private Outcome train(JavaSparkContext jsc, DataSnapshot snapshot, String key, Integer champion,
                              Optional<ModelVersion> undecided) throws IOException {
            Trainer cold = new Trainer(settings, console);
            try (Trainer.Splits data = cold.load(jsc, snapshot.parts())) {
                snapshot.requireUnchanged(settings.get(Keys.DATA_FORMAT), hadoop);
                DataProfile profile = DataProfile.of(data.train(), data.classNames());
                ModelVersion championVersion = champion == null ? null : registry.version(champion);
                DataChecks.Result checks = DataChecks.run(profile, championVersion == null ? null
                                : championVersion.trainingData(), settings.get(Keys.RETRAIN_DRIFT_MAX_CLASS_SHIFT),
                        settings.get(Keys.RETRAIN_DRIFT_MAX_PIXEL_SHIFT), settings.get(Keys.RETRAIN_DRIFT_REFUSE));
                console.printf(Locale.ROOT, "retrain: %d training / %d held-out images of %d classes; data checks: %s%n",
                        data.train().count(), data.test().count(), data.classNames().size(), checks.checks().isEmpty()
                                ? "none (no champion)" : checks.drift() || checks.schemaMismatch() ? "drift: "
                                + String.join("; ", checks.findings()) : "passed");
                if (checks.refused()) {
                    return refuse(checks, key, snapshot, champion);
                }
                ModelVersion challenger;
                if (undecided.isPresent()) {
                    challenger = undecided.get();
                } else {
                    challenger = trainChallenger(jsc, data, snapshot, key, championVersion, profile);
                }
                Comparison comparison = evaluate(jsc, data, challenger, champion, undecided.isPresent());
                if (undecided.isEmpty()) {
                    challenger = register(challenger, comparison, checks);
                }
                return decide(challenger, comparison, checks, key, snapshot);
            }
        }

        /** Trains (or continues training) the challenger in the staging directory; its lineage, numbered later. */
        private ModelVersion trainChallenger(JavaSparkContext jsc, Trainer.Splits data, DataSnapshot snapshot, String key,
                                             ModelVersion champion, DataProfile profile) throws IOException {
            ModelIO.SavedModel parent = champion == null ? null
                    : ModelIO.load(registry.modelDirectory(champion.version()), hadoop);
            Trainer trainer = new Trainer(settings, console);
            boolean warm = parent != null && sameNetwork(trainer, data, parent.spec());
            if (warm) {
                trainer = new Trainer(settings.with(List.of(Keys.EPOCHS.key() + "=" + settings.get(Keys.RETRAIN_WARM_EPOCHS))),
                        console).withNetwork(parent.spec());
            }
            console.println("retrain: " + (warm ? "warm start from v" + champion.version() + ", "
                    + settings.get(Keys.RETRAIN_WARM_EPOCHS) + " epoch(s)" : "cold start" + (parent == null ? "" :
                    " (the configured network " + trainer.spec(data.train()) + " is not the champion's " + parent.spec() + ")")
                    + ", " + settings.get(Keys.EPOCHS) + " epoch(s)") + " over all " + data.train().count() + " images");
            // the trainer's own time: a run continued after a kill counts its earlier part too
            double seconds = trainer.resume(jsc, data, run(key).toString(), warm ? parent.params() : null).summary()
                    .path("train_seconds").asDouble();
            return new ModelVersion(0, null, CodeVersion.describe(), warm ? champion.version() : null,
                    snapshot.fingerprint(), snapshot.root(), snapshot.partNames(), key, settings.render(), profile,
                    Double.NaN, Double.NaN, 0, seconds);
        }

        /** Whether the configured network for {@code data} is {@code champion}'s (input statistics aside). */
        private boolean sameNetwork(Trainer trainer, Trainer.Splits data, ModelSpec champion) {
            ModelSpec configured = trainer.spec(data.train().channels(), data.train().height(), data.train().width(),
                    data.train().classes());
            boolean perChannel = settings.get(Keys.INPUT_STANDARDIZATION).equals("per-channel");
            return perChannel != champion.input().isNone()
                    && (perChannel ? configured.standardized(champion.input()) : configured).equals(champion);
        }

        private Path run(String key) {
            return new Path(registry.staging(key), "run");
        }

        /** Challenger and champion on the held-out set; kept in the staging directory, so a killed run reuses it. */
        private Comparison evaluate(JavaSparkContext jsc, Trainer.Splits data, ModelVersion challenger, Integer champion,
                                    boolean registered) throws IOException {
            Path stored = new Path(registry.staging(challenger.runKey()), ModelRegistry.EVALUATION);
            FileSystem fs = stored.getFileSystem(hadoop);
            if (!registered && fs.exists(stored)) {
                Comparison c;
                try (java.io.InputStream in = fs.open(stored)) {
                    c = Json.MAPPER.readValue(in, Comparison.class);
                }
                if (java.util.Objects.equals(c.championVersion(), champion)) {
                    return c;
                }
            }
            console.println("retrain: evaluating the challenger" + (champion == null ? "" : " and the champion v" + champion)
                    + " on " + data.test().count() + " held-out images");
            ClassifierEvaluation challengerEval = evaluate(jsc, data, registered ? registry.modelDirectory(
                    challenger.version()) : new Path(run(challenger.runKey()), ModelRegistry.MODEL).toString(), "challenger");
            ClassifierEvaluation championEval = champion == null ? null
                    : evaluate(jsc, data, registry.modelDirectory(champion), "champion v" + champion);
            Comparison c = new Comparison(champion, championEval, challengerEval);
            if (!registered) {
                lock.requireHeld();
                AtomicFiles.writeBytesAtomically(fs, stored, Json.PRETTY.writeValueAsBytes(c));
            }
            return c;
        }

        /**
         * The model in {@code modelDir} on the held-out set, on its cached blocks (one job, as the trainer's test
         * evaluation): the same predictions as the model's {@code transform}, without going through DataFrame rows.
         */
        private ClassifierEvaluation evaluate(JavaSparkContext jsc, Trainer.Splits data, String modelDir, String name)
                throws IOException {
            ModelIO.SavedModel m = ModelIO.load(modelDir, hadoop);
            int k = data.classNames().size();
            DistributedObjective.Confusion c = new DistributedObjective(jsc, m.spec()).confusion(data.test(), m.params(), k,
                    "evaluate the " + name + " on " + data.test().count() + " held-out images");
            return new ClassifierEvaluation(data.classNames(), c.confusion(), c.loss().loss());
        }

        /** Registers the staged challenger as the next version. */
        private ModelVersion register(ModelVersion staged, Comparison comparison, DataChecks.Result checks)
                throws IOException {
            int n = registry.nextVersion();
            ClassifierEvaluation e = comparison.challenger();
            ModelVersion v = staged.registered(n, Instant.now().toString(), e.accuracy(), e.meanLoss(), e.count());
            Path runDir = run(staged.runKey());
            registry.writeVersion(lock, n, (fs, tmp) -> {
                FileUtil.copy(fs, new Path(runDir, ModelRegistry.MODEL), fs, new Path(tmp, ModelRegistry.MODEL), false, hadoop);
                for (String f : List.of(ModelRegistry.TRAINING_CURVES, ModelRegistry.METRICS)) {
                    if (fs.exists(new Path(runDir, f))) {
                        FileUtil.copy(fs, new Path(runDir, f), fs, new Path(tmp, f), false, hadoop);
                    }
                }
                AtomicFiles.writeBytes(fs, new Path(tmp, ModelRegistry.LINEAGE), Json.PRETTY.writeValueAsBytes(v));
                AtomicFiles.writeBytes(fs, new Path(tmp, ModelRegistry.EVALUATION), Json.PRETTY.writeValueAsBytes(comparison));
                AtomicFiles.writeBytes(fs, new Path(tmp, ModelRegistry.CHECKS), Json.PRETTY.writeValueAsBytes(checks));
            });
            console.printf(Locale.ROOT, "retrain: registered v%d (held-out accuracy %.2f %%)%n", n, 100 * e.accuracy());
            return v;
        }

        /** The gates, the report, the decision; then the staging directory goes. */
        private Outcome decide(ModelVersion challenger, Comparison comparison, DataChecks.Result checks, String key,
                               DataSnapshot snapshot) throws IOException {
            PromotionGate gate = new PromotionGate(settings.get(Keys.RETRAIN_GATE_TOLERANCE),
                    settings.get(Keys.RETRAIN_GATE_MARGIN), settings.get(Keys.RETRAIN_GATE_CLASS_FLOOR),
                    settings.get(Keys.RETRAIN_GATE_MIN_ACCURACY));
            List<PromotionGate.Gate> gates = gate.evaluate(comparison.challenger(), comparison.champion());
            boolean promoted = PromotionGate.passed(gates);
            Integer champion = promoted ? Integer.valueOf(challenger.version()) : comparison.championVersion();
            List<String> reasons = new ArrayList<>();
            gates.stream().filter(g -> promoted || !g.passed()).map(PromotionGate.Gate::toString)
                    .forEach(reasons::add);
            reasons.addAll(checks.findings());
            int number = registry.nextDecision();
            Decision d = new Decision(number, promoted ? Decision.PROMOTED : Decision.KEPT, champion, challenger.version(),
                    reasons, Instant.now().toString(), key, snapshot.fingerprint(), ModelRegistry.reportName(number), by);
            byte[] curves = registry.versionFileOrNull(challenger.version(), ModelRegistry.TRAINING_CURVES);
            ModelVersion championVersion = comparison.championVersion() == null ? null
                    : registry.version(comparison.championVersion());
            registry.writeReport(lock, number, RetrainingReport.html(registry.uri(), d, challenger, championVersion,
                    comparison, gates, checks, curves));
            registry.decide(lock, d);
            registry.removeStaging(lock, key);
            console.println("retrain: " + d.decision() + " v" + challenger.version() + "; champion "
                    + (champion == null ? "none" : "v" + champion) + "; report " + registry.uri() + "/" + d.report());
            return new Outcome(d, false);
        }

        /** Refused data: no training; the decision keeps the champion and says why (exit 65). */
        private Outcome refuse(DataChecks.Result checks, String key, DataSnapshot snapshot, Integer champion)
                throws IOException {
            int number = registry.nextDecision();
            List<String> reasons = new ArrayList<>();
            reasons.add(checks.schemaMismatch() ? "refused: the data do not match the champion's classes or image shape"
                    : "refused: the data drifted and retrain.drift.refuse is set");
            reasons.addAll(checks.findings());
            Decision d = new Decision(number, Decision.KEPT, champion, null, reasons, Instant.now().toString(), key,
                    snapshot.fingerprint(), ModelRegistry.reportName(number), by);
            ModelVersion championVersion = champion == null ? null : registry.version(champion);
            registry.writeReport(lock, number, RetrainingReport.html(registry.uri(), d, null, championVersion, null,
                    List.of(), checks, null));
            registry.decide(lock, d);
            console.println("retrain: refused the data; champion " + (champion == null ? "none" : "v" + champion)
                    + " kept; report " + registry.uri() + "/" + d.report());
            return new Outcome(d, true);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
