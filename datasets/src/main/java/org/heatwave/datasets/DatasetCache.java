package org.heatwave.datasets;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The heatwave cache directory, where fetched datasets live ({@code $HEATWAVE_CACHE}, else
 * {@code ~/.cache/heatwave}), one subdirectory per dataset, each installed by one atomic rename so a
 * failed or concurrent fetch never leaves a half-written dataset behind.
 */
public final class DatasetCache {
    /** Environment variable overriding {@link #defaultDir()}. */
    public static final String CACHE_ENV = "HEATWAVE_CACHE";

    private DatasetCache() {
    }

    /** @return {@code $HEATWAVE_CACHE} if set and not blank, otherwise {@code ~/.cache/heatwave} */
    public static Path defaultDir() {
        return defaultDir(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDir(Map<String, String> env, String userHome) {
        String override = env.get(CACHE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(userHome, ".cache", "heatwave");
    }

    /** What a fetch does inside its temporary directory: returns the directory to install as the dataset's. */
    @FunctionalInterface
    interface Staging {
        Path stage(Path tmp) throws IOException;
    }

    /**
     * Fetches dataset {@code name} into {@code <cacheDir>/<name>} unless {@code data} (that directory or one
     * below it) already holds the four IDX files: {@code staging} works in a fresh temporary directory under
     * {@code cacheDir}, its result is renamed into place in one step ({@link #install}), and the temporary
     * directory is removed in every case, so a failed fetch leaves nothing behind.
     *
     * @return {@code data}
     * @throws IOException from {@code staging}, or naming the files still missing after the install
     */
    static Path fetch(Path cacheDir, String name, Path data, Staging staging) throws IOException {
        if (IdxFile.isComplete(data)) {
            return data;
        }
        Path target = cacheDir.resolve(name);
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, "." + name + "-fetch-");
        try {
            install(staging.stage(tmp), target, data, tmp);
            if (!IdxFile.isComplete(data)) {
                throw new IOException("after installing " + name + " into " + target + ", " + data + " lacks "
                        + IdxFile.describe(IdxFile.missing(data)));
            }
            return data;
        } finally {
            ExternalCommand.deleteRecursively(tmp);
        }
    }

    /**
     * Renames the staged directory {@code staged} to {@code target}, first moving an incomplete
     * {@code target} aside into {@code tmp} (which the caller deletes). If another process installs a
     * complete copy first, keeps that one.
     *
     * @param data the directory under {@code target} that must hold the four IDX files
     */
    static void install(Path staged, Path target, Path data, Path tmp) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (IdxFile.isComplete(data)) {
                return;
            }
            Files.move(target, tmp.resolve("stale"), StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + staged + " to " + target + " atomically", e);
        } catch (IOException e) {
            if (!IdxFile.isComplete(data)) {
                throw e;
            }
        }
    }
}
