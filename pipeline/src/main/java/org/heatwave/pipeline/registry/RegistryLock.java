package org.heatwave.pipeline.registry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.train.TemporaryFailure;

/**
 * The exclusive right to change a {@link ModelRegistry}: one retraining (or operator action) at a time, on any
 * Hadoop FileSystem, without a coordination service.
 * <ul>
 *   <li><b>Acquire</b>: create the lock file exclusively — HDFS's create without overwrite is atomic on the
 *       NameNode; on the local file system {@code O_CREAT|O_EXCL} ({@link StandardOpenOption#CREATE_NEW}). It names
 *       its holder: a random token, host, pid, start time.</li>
 *   <li><b>Heartbeat</b>: the holder sets the file's modification time every {@value #HEARTBEAT_SECONDS} s.</li>
 *   <li><b>Stale</b>: a holder on this host whose process is gone, or a lock not renewed for the timeout. Taking
 *       it over renames exactly the file that was examined aside ({@code lock.stale-TOKEN}) — a rename of a path
 *       that only one process can win — checks that the moved file is the stale one (else puts it back), and
 *       acquires again.</li>
 *   <li><b>Fencing</b>: before every change the holder checks that the lock still carries its token
 *       ({@link #requireHeld}), so a run that lost its lock (a pause longer than the timeout) changes nothing.</li>
 * </ul>
 * A held lock is a {@link TemporaryFailure} (exit 75) naming the holder and how to remove a lock left by a crash.
 */
public final class RegistryLock implements AutoCloseable {
    static final int HEARTBEAT_SECONDS = 20;

    /** Who holds a lock, as written in it. */
    public record Holder(String token, String host, long pid, String since, String command) {
        boolean onThisHost() {
            return host.equals(thisHost());
        }

        @Override
        public String toString() {
            return "'" + command + "' (pid " + pid + " on " + host + ", since " + since + ")";
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Holder holder;
    private final ScheduledExecutorService heartbeat;

    private RegistryLock(FileSystem fs, Path file, Holder holder) {
        this.fs = fs;
        this.file = file;
        this.holder = holder;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heatwave registry lock heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::renew, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Acquires the lock {@code file} for {@code command}, taking over a stale one.
     *
     * @param timeoutMillis how long an unrenewed lock of another host stays valid
     * @param log           where a takeover is reported
     * @throws TemporaryFailure if another live process holds it
     */
    static RegistryLock acquire(FileSystem fs, Path file, String command, long timeoutMillis, java.io.PrintStream log)
            throws IOException {
        Holder me = new Holder(UUID.randomUUID().toString(), thisHost(), ProcessHandle.current().pid(),
                Instant.now().toString(), command);
        byte[] content = Json.MAPPER.writeValueAsBytes(me);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createExclusively(fs, file, content)) {
                return new RegistryLock(fs, file, me);
            }
            FileStatus status;
            Holder other;
            try {
                status = fs.getFileStatus(file);
                other = read(fs, file);
            } catch (FileNotFoundException released) {
                continue;
            }
            String stale = staleness(other, status, timeoutMillis);
            if (stale == null) {
                throw new TemporaryFailure(fs.makeQualified(file).getParent() + " is locked by " + (other == null
                        ? "a process that is writing its lock" : other) + "; retry later (a lock left by a crashed run is"
                        + " taken over when its process is gone, or when not renewed for "
                        + timeoutMillis / 60000.0 + " minutes)", null);
            }
            takeOver(fs, file, other, stale, log);
        }
        throw new TemporaryFailure(file + ": the lock changed hands while it was being acquired; retry later", null);
    }

    /** Why {@code other}'s lock is stale, or null if it is not. */
    private static String staleness(Holder other, FileStatus status, long timeoutMillis) {
        long age = System.currentTimeMillis() - status.getModificationTime();
        if (other == null) {
            // an empty or unreadable lock: its writer died between creating and writing it, or is writing it now
            return age > 60_000 ? "an unreadable lock untouched for " + age / 1000 + " s" : null;
        }
        if (other.onThisHost() && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true)) {
            return "its process " + other.pid() + " on this host is gone";
        }
        return age > timeoutMillis ? "not renewed for " + age / 1000 + " s" : null;
    }

    private static void takeOver(FileSystem fs, Path file, Holder stale, String why, java.io.PrintStream log)
            throws IOException {
        Path aside = new Path(file.getParent(), file.getName() + ".stale-" + (stale == null ? UUID.randomUUID() : stale.token()));
        if (!fs.rename(file, aside)) {
            return; // another process moved it first: acquire again
        }
        Holder moved = read(fs, aside);
        if (stale != null && (moved == null || !moved.token().equals(stale.token()))) {
            // the lock was replaced between reading and moving it: put the live one back
            fs.rename(aside, file);
            return;
        }
        fs.delete(aside, false);
        log.println("took over the stale registry lock of " + (stale == null ? "an unknown holder" : stale) + ": " + why);
    }

    /** The holder named in {@code file}, or null if it is empty or unreadable (being written). */
    static Holder read(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? null : Json.MAPPER.readValue(bytes, Holder.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return null;
        }
    }

    /** The holder of the lock {@code file}, if any. */
    static java.util.Optional<Holder> holder(FileSystem fs, Path file) throws IOException {
        try {
            return java.util.Optional.ofNullable(read(fs, file));
        } catch (FileNotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean createExclusively(FileSystem fs, Path file, byte[] content) throws IOException {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            java.nio.file.Path local = (fs instanceof LocalFileSystem l ? l.pathToFile(file) : ((RawLocalFileSystem) fs)
                    .pathToFile(file)).toPath();
            try {
                Files.write(local, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (org.apache.hadoop.ipc.RemoteException e) {
            if (e.unwrapRemoteException() instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
                return false;
            }
            throw e;
        }
    }

    /** This lock's holder. */
    public Holder holder() {
        return holder;
    }

    /**
     * That this process still holds the lock — checked before every change to the registry.
     *
     * @throws TemporaryFailure if another process took it over (this one paused longer than the timeout)
     */
    public void requireHeld() throws IOException {
        Holder now;
        try {
            now = read(fs, file);
        } catch (FileNotFoundException e) {
            now = null;
        }
        if (now == null || !now.token().equals(holder.token())) {
            throw new TemporaryFailure(file + ": this run no longer holds the registry lock" + (now == null ? ""
                    : " (" + now + " took it over)") + "; nothing more is changed", null);
        }
    }

    /** The heartbeat: renews the lock while it is this process's; a lost lock is never renewed. */
    private void renew() {
        try {
            Holder now = read(fs, file);
            if (now == null || !now.token().equals(holder.token())) {
                throw new IllegalStateException("lost"); // ends the heartbeat; requireHeld reports it at the next change
            }
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // ends the heartbeat; requireHeld decides at the next change
        }
    }

    /** Releases the lock if this process still holds it. */
    @Override
    public void close() throws IOException {
        heartbeat.shutdownNow();
        Holder now;
        try {
            now = read(fs, file);
        } catch (FileNotFoundException e) {
            return;
        }
        if (now != null && now.token().equals(holder.token())) {
            fs.delete(file, false);
        }
    }

    private static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
