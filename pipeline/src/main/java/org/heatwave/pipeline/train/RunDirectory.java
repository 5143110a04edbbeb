package org.heatwave.pipeline.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.OutputExistsException;

/**
 * A run's directory on any Hadoop FileSystem, and the rules a scheduler can rely on (issue 14):
 * <ul>
 *   <li>a new run creates it and refuses one that exists ({@link OutputExistsException}); only
 *       {@code --resume} reopens one;</li>
 *   <li>{@value #SUCCESS} is written last, when everything else is in place: a run without it is
 *       unfinished, whatever else it holds;</li>
 *   <li>checkpoints are whole files renamed into place ({@code checkpoints/step-NNNNNNNNNN.ckpt}), the last
 *       {@code keep} kept; a corrupt one is named and the one before it used;</li>
 *   <li>temporary files of a killed writer ({@code .NAME.tmp-UUID}) are never read, and removed when the run
 *       is resumed.</li>
 * </ul>
 */
final class RunDirectory {
    static final String SUCCESS = "_SUCCESS";
    static final String CONFIG = "config.conf";
    static final String METRICS = "metrics.jsonl";
    private static final String CHECKPOINTS = "checkpoints";

    private final FileSystem fs;
    private final Path root;

    private RunDirectory(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** Creates the directory of a new run. @throws OutputExistsException if {@code uri} exists */
    static RunDirectory create(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        requireAbsent(fs, p);
        if (!fs.mkdirs(p)) {
            throw new IOException("cannot create the run directory " + uri);
        }
        return new RunDirectory(fs, fs.makeQualified(p));
    }

    /** @throws OutputExistsException naming {@code uri} if it exists (checked before anything starts) */
    static void requireAbsent(FileSystem fs, Path uri) throws IOException {
        if (fs.exists(uri)) {
            throw new OutputExistsException(uri + " already exists; choose another --out, remove it, or continue an"
                    + " unfinished run there with --resume " + uri);
        }
    }

    /** Opens an existing run to continue it. @throws FileNotFoundException if it is not a run directory */
    static RunDirectory open(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(new Path(p, CONFIG))) {
            throw new FileNotFoundException(uri + " is not a heatwave run (no " + CONFIG + "): nothing to resume");
        }
        return new RunDirectory(fs, fs.makeQualified(p));
    }

    Path path() {
        return root;
    }

    FileSystem fs() {
        return fs;
    }

    Path file(String name) {
        return new Path(root, name);
    }

    boolean finished() throws IOException {
        return fs.exists(file(SUCCESS));
    }

    /** Marks the run finished: call after every other output is in place. */
    void markFinished() throws IOException {
        AtomicFiles.writeText(fs, file(SUCCESS), "");
    }

    void writeConfig(String text) throws IOException {
        AtomicFiles.writeText(fs, file(CONFIG), text);
    }

    String readConfig() throws IOException {
        try (FSDataInputStream in = fs.open(file(CONFIG))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A fresh metrics.jsonl holding {@code prefix} (what a checkpoint had written), open for the records to come. */
    FSDataOutputStream metrics(byte[] prefix) throws IOException {
        FSDataOutputStream out = fs.create(file(METRICS), true);
        out.write(prefix);
        out.hflush();
        return out;
    }

    /** Writes {@code c} as a whole file renamed into place, then removes all but the last {@code keep}. */
    void writeCheckpoint(Checkpoint c, int keep) throws IOException {
        Path dir = file(CHECKPOINTS);
        fs.mkdirs(dir);
        AtomicFiles.writeBytesAtomically(fs, new Path(dir, String.format("step-%010d.ckpt", c.step())), c.encode());
        List<Path> all = checkpointFiles();
        for (int i = keep; i < all.size(); i++) {
            fs.delete(all.get(i), false);
        }
    }

    /**
     * The newest checkpoint that reads back whole; each unusable newer one is reported on {@code console} with
     * its reason. Empty if there is none.
     */
    Optional<Checkpoint> latestCheckpoint(PrintStream console) throws IOException {
        for (Path p : checkpointFiles()) {
            try (FSDataInputStream in = fs.open(p)) {
                return Optional.of(Checkpoint.decode(in.readAllBytes(), p.toString()));
            } catch (IOException e) {
                console.println("checkpoint unusable, trying the one before: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The checkpoint files, newest first (temporary files of an interrupted write are not among them). */
    private List<Path> checkpointFiles() throws IOException {
        Path dir = file(CHECKPOINTS);
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String n = s.getPath().getName();
            if (n.matches("step-\\d{10}\\.ckpt")) {
                out.add(s.getPath());
            }
        }
        out.sort(Comparator.comparing(Path::getName).reversed());
        return out;
    }

    /** Removes the temporary files and directories a killed writer left ({@code .NAME.tmp-UUID}), here and in checkpoints/. */
    void removeStaleTemporaries() throws IOException {
        for (Path dir : new Path[] {root, file(CHECKPOINTS)}) {
            if (!fs.exists(dir)) {
                continue;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                if (AtomicFiles.isTemporary(s.getPath())) {
                    fs.delete(s.getPath(), true);
                }
            }
        }
    }
}
