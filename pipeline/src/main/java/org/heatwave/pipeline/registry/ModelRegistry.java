package org.heatwave.pipeline.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.OutputExistsException;

/**
 * A model registry on any Hadoop FileSystem (issue 17; after MLflow's registry and TFX's Pusher): numbered versions
 * with their lineage, a champion, and the history of decisions that moved it.
 * <pre>
 * REGISTRY/registry.json           what this directory is (format, schema version)
 * REGISTRY/versions/v000003/       model/ (a heatwave model), lineage.json, evaluation.json, checks.json,
 *                                  training.png, metrics.jsonl — written whole: a temporary directory renamed into place
 * REGISTRY/decisions/000007.json   the history, one file per decision, never rewritten
 * REGISTRY/reports/000007.html     the report of decision 7
 * REGISTRY/staging/KEY/            a retraining in progress (its run directory, resumable)
 * REGISTRY/lock                    {@link RegistryLock}
 * </pre>
 * <b>Consistency.</b> The champion is the {@code champion} of the newest decision, and a decision is a complete file
 * renamed to the next number: the pointer moves in one rename, and a process killed at any moment leaves either the
 * old history or the new one. Readers ignore temporary names ({@code .NAME.tmp-…}); the next lock holder removes
 * them. A version that no decision names yet (its writer died before deciding) is decided by the next retraining of
 * the same data. Every change needs the {@link RegistryLock}, checked just before it.
 */
public final class ModelRegistry {
    static final String FORMAT = "heatwave-model-registry";
    static final int SCHEMA_VERSION = 1;
    static final String META = "registry.json";
    static final String VERSIONS = "versions";
    static final String DECISIONS = "decisions";
    static final String REPORTS = "reports";
    static final String STAGING = "staging";
    static final String LOCK = "lock";
    /** A version's files. */
    public static final String MODEL = "model", LINEAGE = "lineage.json", EVALUATION = "evaluation.json",
            CHECKS = "checks.json", TRAINING_CURVES = "training.png", METRICS = "metrics.jsonl";

    private final FileSystem fs;
    private final Path root;

    private ModelRegistry(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /**
     * The registry at {@code uri}.
     *
     * @throws FileNotFoundException if there is none (exit 66)
     */
    public static ModelRegistry open(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        Path meta = new Path(p, META);
        if (!fs.exists(meta)) {
            throw new FileNotFoundException(uri + " is not a model registry (no " + META + "); 'bin/heatwave retrain"
                    + " --registry " + uri + "' creates one");
        }
        ModelRegistry r = new ModelRegistry(fs, fs.makeQualified(p));
        int schema = Json.MAPPER.readTree(r.read(meta)).path("schema_version").asInt(-1);
        if (schema != SCHEMA_VERSION) {
            throw new IOException(meta + ": schema version " + schema + ", this heatwave reads " + SCHEMA_VERSION);
        }
        return r;
    }

    /**
     * The registry at {@code uri}, created if nothing is there yet. A directory that exists and holds anything else is
     * refused: heatwave never writes into a directory it did not create.
     *
     * @throws OutputExistsException for such a directory (exit 73)
     */
    public static ModelRegistry openOrCreate(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(new Path(p, META))) {
            return open(uri, conf);
        }
        if (fs.exists(p)) {
            throw new OutputExistsException(uri + " exists and is not a model registry (no " + META + "); give a new"
                    + " directory, which retrain creates");
        }
        Path q = fs.makeQualified(p);
        try {
            AtomicFiles.writeDirectory(fs, q, (f, tmp) -> {
                for (String d : List.of(VERSIONS, DECISIONS, REPORTS, STAGING)) {
                    f.mkdirs(new Path(tmp, d));
                }
                AtomicFiles.writeBytes(f, new Path(tmp, META), Json.PRETTY.writeValueAsBytes(Json.object()
                        .put("format", FORMAT).put("schema_version", SCHEMA_VERSION).put("created", Instant.now().toString())));
            });
        } catch (OutputExistsException e) {
            if (!fs.exists(new Path(q, META))) {
                throw e;
            }
            return open(uri, conf); // created by a first run that started at the same moment
        }
        return new ModelRegistry(fs, q);
    }

    /** Where it is, qualified. */
    public String uri() {
        return root.toString();
    }

    FileSystem fs() {
        return fs;
    }

    /** Takes the registry's lock for {@code command} (see {@link RegistryLock}). */
    public RegistryLock lock(String command, double timeoutMinutes, PrintStream log) throws IOException {
        return RegistryLock.acquire(fs, new Path(root, LOCK), command, (long) (timeoutMinutes * 60_000), log);
    }

    /** Who holds the lock now, if anyone. */
    public Optional<RegistryLock.Holder> lockHolder() throws IOException {
        return RegistryLock.holder(fs, new Path(root, LOCK));
    }

    // ---- versions

    /** Every version, oldest first. */
    public List<ModelVersion> versions() throws IOException {
        List<ModelVersion> out = new ArrayList<>();
        for (int n : numbers(new Path(root, VERSIONS), "v", "")) {
            out.add(version(n));
        }
        return out;
    }

    /** Version {@code n}'s lineage. @throws FileNotFoundException naming the versions there are */
    public ModelVersion version(int n) throws IOException {
        Path dir = versionDirectory(n);
        if (!fs.exists(dir)) {
            throw new FileNotFoundException(uri() + " has no version " + n + " (versions: " + numbers(new Path(root, VERSIONS),
                    "v", "") + ")");
        }
        return Json.MAPPER.readValue(read(new Path(dir, LINEAGE)), ModelVersion.class);
    }

    /** The number the next version gets. */
    public int nextVersion() throws IOException {
        List<Integer> n = numbers(new Path(root, VERSIONS), "v", "");
        return n.isEmpty() ? 1 : n.get(n.size() - 1) + 1;
    }

    /** Version {@code n}'s directory. */
    public Path versionDirectory(int n) {
        return new Path(new Path(root, VERSIONS), String.format("v%06d", n));
    }

    /** Version {@code n}'s model, a directory {@link org.heatwave.pipeline.ml.HeatwaveClassificationModel#open} reads. */
    public String modelDirectory(int n) {
        return new Path(versionDirectory(n), MODEL).toString();
    }

    /** A file of version {@code n}, e.g. {@link #EVALUATION}. */
    public byte[] versionFile(int n, String name) throws IOException {
        return read(new Path(versionDirectory(n), name));
    }

    /** A file of version {@code n}, or null if it has none of that name. */
    public byte[] versionFileOrNull(int n, String name) throws IOException {
        Path f = new Path(versionDirectory(n), name);
        return fs.exists(f) ? read(f) : null;
    }

    /**
     * Registers version {@code n}: {@code writer} fills a temporary directory, which is renamed into place whole.
     *
     * @throws OutputExistsException if version {@code n} exists
     */
    public void writeVersion(RegistryLock lock, int n, AtomicFiles.DirectoryWriter writer) throws IOException {
        lock.requireHeld();
        AtomicFiles.writeDirectory(fs, versionDirectory(n), writer);
    }

    // ---- decisions and the champion

    /** The history, oldest first. */
    public List<Decision> decisions() throws IOException {
        List<Decision> out = new ArrayList<>();
        for (int n : numbers(new Path(root, DECISIONS), "", ".json")) {
            out.add(Json.MAPPER.readValue(read(decisionFile(n)), Decision.class));
        }
        return out;
    }

    /** The newest decision, if any. */
    public Optional<Decision> lastDecision() throws IOException {
        List<Integer> n = numbers(new Path(root, DECISIONS), "", ".json");
        return n.isEmpty() ? Optional.empty()
                : Optional.of(Json.MAPPER.readValue(read(decisionFile(n.get(n.size() - 1))), Decision.class));
    }

    /** The champion's version: that of the newest decision. */
    public Optional<Integer> champion() throws IOException {
        return lastDecision().map(Decision::champion);
    }

    /** The number the next decision gets. */
    public int nextDecision() throws IOException {
        return lastDecision().map(d -> d.number() + 1).orElse(1);
    }

    /**
     * Appends {@code d} (its number must be {@link #nextDecision}) to the history: written to a temporary file, then
     * renamed to its number — the champion moves with that one rename.
     *
     * @throws OutputExistsException if that number exists (another writer without the lock)
     */
    public Decision decide(RegistryLock lock, Decision d) throws IOException {
        lock.requireHeld();
        if (d.number() != nextDecision()) {
            throw new IllegalStateException("decision " + d.number() + " is not the next one (" + nextDecision() + ")");
        }
        if (d.champion() != null) {
            version(d.champion());
        }
        Path target = decisionFile(d.number());
        Path tmp = AtomicFiles.temporarySibling(target);
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(Json.PRETTY.writeValueAsBytes(d));
            }
            if (fs.exists(target) || !fs.rename(tmp, target)) {
                throw new OutputExistsException(target + " exists: the registry was changed without its lock");
            }
        } finally {
            fs.delete(tmp, false);
        }
        return d;
    }

    /** An operator's promotion of version {@code n} to champion. */
    public Decision promote(RegistryLock lock, int n, String by) throws IOException {
        version(n);
        Integer before = champion().orElse(null);
        return decide(lock, new Decision(nextDecision(), Decision.PROMOTE, n, n, List.of("promoted by hand from "
                + (before == null ? "no champion" : "v" + before)), Instant.now().toString(), null, null, null, by));
    }

    /**
     * An operator's rollback: the champion becomes {@code to}, or (null) the champion before the current one.
     *
     * @throws IllegalArgumentException if there is no earlier champion to go back to
     */
    public Decision rollback(RegistryLock lock, Integer to, String by) throws IOException {
        List<Decision> history = decisions();
        Integer current = history.isEmpty() ? null : history.get(history.size() - 1).champion();
        Integer target = to;
        if (target == null) {
            for (int i = history.size() - 1; i >= 0 && target == null; i--) {
                Integer c = history.get(i).champion();
                if (c != null && !c.equals(current)) {
                    target = c;
                }
            }
            if (target == null) {
                throw new IllegalArgumentException(uri() + " has had no champion before " + (current == null ? "now"
                        : "v" + current) + " to roll back to");
            }
        }
        version(target);
        return decide(lock, new Decision(nextDecision(), Decision.ROLLBACK, target, null, List.of("rolled back from "
                + (current == null ? "no champion" : "v" + current) + " to v" + target), Instant.now().toString(), null,
                null, null, by));
    }

    private Path decisionFile(int n) {
        return new Path(new Path(root, DECISIONS), String.format("%06d.json", n));
    }

    // ---- reports and staging

    /** Where decision {@code n}'s report goes, relative to the registry. */
    public static String reportName(int n) {
        return REPORTS + "/" + String.format("%06d.html", n);
    }

    /** Writes the report of decision {@code n} (replacing one a killed run left before deciding). */
    public void writeReport(RegistryLock lock, int n, String html) throws IOException {
        lock.requireHeld();
        AtomicFiles.writeText(fs, new Path(root, reportName(n)), html);
    }

    /** A file of the registry by its relative name, e.g. a decision's report. */
    public byte[] file(String relative) throws IOException {
        return read(new Path(root, relative));
    }

    /** The staging directory of the retraining {@code runKey}. */
    public Path staging(String runKey) {
        return new Path(new Path(root, STAGING), runKey.substring(0, 16));
    }

    /**
     * Removes what killed writers left: temporary files and directories, and staging directories of other runs than
     * {@code keepKey} (their data or configuration are not today's).
     */
    public void clean(RegistryLock lock, String keepKey, PrintStream log) throws IOException {
        lock.requireHeld();
        for (String d : List.of(VERSIONS, DECISIONS, REPORTS)) {
            for (FileStatus s : fs.listStatus(new Path(root, d))) {
                if (AtomicFiles.isTemporary(s.getPath())) {
                    fs.delete(s.getPath(), true);
                }
            }
        }
        Path keep = keepKey == null ? null : staging(keepKey);
        for (FileStatus s : fs.listStatus(new Path(root, STAGING))) {
            if (keep == null || !s.getPath().getName().equals(keep.getName())) {
                log.println("removing the staging directory of an earlier, unfinished retraining: " + s.getPath());
                fs.delete(s.getPath(), true);
            }
        }
    }

    /** Removes the staging directory of the retraining {@code runKey} (decided). */
    public void removeStaging(RegistryLock lock, String runKey) throws IOException {
        lock.requireHeld();
        fs.delete(staging(runKey), true);
    }

    // ---- listing

    /** {@code {"registry", "champion", "versions": [lineage + "champion" flag], "decisions": […]}} for machines. */
    public ObjectNode json() throws IOException {
        ObjectNode o = Json.object().put("registry", uri());
        Integer champion = champion().orElse(null);
        if (champion == null) {
            o.putNull("champion");
        } else {
            o.put("champion", champion);
        }
        ArrayNode versions = o.putArray("versions");
        for (ModelVersion v : versions()) {
            ObjectNode j = Json.MAPPER.valueToTree(v);
            j.remove("config");
            j.put("champion", v.version() == (champion == null ? -1 : champion));
            versions.add(j);
        }
        ArrayNode decisions = o.putArray("decisions");
        for (Decision d : decisions()) {
            decisions.add(Json.MAPPER.valueToTree(d));
        }
        return o;
    }

    private byte[] read(Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    /** The numbers of the entries {@code PREFIX<digits>SUFFIX} of {@code dir}, ascending (temporaries skipped). */
    private List<Integer> numbers(Path dir, String prefix, String suffix) throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith(prefix) && name.endsWith(suffix)) {
                String digits = name.substring(prefix.length(), name.length() - suffix.length());
                if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
                    out.add(Integer.parseInt(digits));
                }
            }
        }
        out.sort(null);
        return out;
    }
}
