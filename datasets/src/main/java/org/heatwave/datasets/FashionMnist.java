package org.heatwave.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 60,000 training and 10,000 test greyscale images of
 * 28x28 pixels in 10 clothing classes, stored as four IDX files.
 *
 * <p>The data comes from the Debian package {@value #DEBIAN_PACKAGE}, either installed system-wide in
 * {@code /usr/share/datasets/fashion-mnist} or downloaded and unpacked without root into the cache
 * directory by {@link #fetch(Path)}. {@link #resolve(Path, Path, boolean)} chooses between an explicit
 * directory, those two places and a fetch. The file names live in {@link Part} only.
 */
public final class FashionMnist {

    /** Name of the dataset, also its directory under the cache directory. */
    public static final String NAME = "fashion-mnist";
    /** The Debian package holding the four files. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    /** Where the Debian package puts the files, relative to the root it is unpacked into. */
    public static final String PACKAGE_DATA_PATH = "usr/share/datasets/fashion-mnist";
    /** Where the installed Debian package keeps the files. */
    public static final Path SYSTEM_DIR = Path.of("/").resolve(PACKAGE_DATA_PATH);
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Image height in pixels. */
    public static final int HEIGHT = 28;
    /** Image width in pixels. */
    public static final int WIDTH = 28;
    /** Environment variable overriding {@link #defaultCacheDir()}. */
    public static final String CACHE_ENV = "HEATWAVE_CACHE";

    private static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final Logger LOG = Logger.getLogger(FashionMnist.class.getName());
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(5);
    private static final int OUTPUT_TAIL_CHARS = 4000;

    /** The commands and system directory the lookups use; tests substitute fakes. */
    record Env(Path systemDir, String aptGet, String dpkgDeb) {
        static final Env DEFAULT = new Env(SYSTEM_DIR, "apt-get", "dpkg-deb");
    }

    private FashionMnist() {
    }

    /** One of the four files of the dataset. */
    public enum Part {
        /** Training images, 60,000 x 28 x 28. */
        TRAIN_IMAGES("train-images-idx3-ubyte"),
        /** Training labels, 60,000. */
        TRAIN_LABELS("train-labels-idx1-ubyte"),
        /** Test images, 10,000 x 28 x 28. */
        TEST_IMAGES("t10k-images-idx3-ubyte"),
        /** Test labels, 10,000. */
        TEST_LABELS("t10k-labels-idx1-ubyte");

        private final String baseName;

        Part(String baseName) {
            this.baseName = baseName;
        }

        /**
         * @param train the training set if true, the test set if false
         * @return the image file of that set
         */
        public static Part images(boolean train) {
            return train ? TRAIN_IMAGES : TEST_IMAGES;
        }

        /**
         * @param train the training set if true, the test set if false
         * @return the label file of that set
         */
        public static Part labels(boolean train) {
            return train ? TRAIN_LABELS : TEST_LABELS;
        }

        /** @return the file name without {@code .gz}, e.g. {@code train-images-idx3-ubyte} */
        public String baseName() {
            return baseName;
        }

        /** @return the accepted file names in order of preference: gzip first, then uncompressed */
        public List<String> fileNames() {
            return List.of(baseName + ".gz", baseName);
        }

        /**
         * @param dir a local directory
         * @return the first of {@link #fileNames()} that is a regular file in {@code dir}, if any
         */
        public Optional<Path> find(Path dir) {
            return fileNames().stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
        }

        /** @return a description of the names for messages, e.g. {@code train-images-idx3-ubyte[.gz]} */
        String display() {
            return baseName + "[.gz]";
        }
    }

    /** @return the class names, indexed by label; unmodifiable */
    public static List<String> classNames() {
        return CLASS_NAMES;
    }

    /**
     * @param dir a local directory
     * @return the parts with no file in {@code dir}, in {@link Part} order; all of them if {@code dir} is
     *         not a directory
     */
    public static List<Part> missingParts(Path dir) {
        List<Part> missing = new ArrayList<>();
        for (Part part : Part.values()) {
            if (part.find(dir).isEmpty()) {
                missing.add(part);
            }
        }
        return missing;
    }

    /**
     * @param dir a local directory
     * @return whether {@code dir} holds all four files
     */
    public static boolean isComplete(Path dir) {
        return missingParts(dir).isEmpty();
    }

    /**
     * @param cacheDir the cache directory
     * @return where {@link #fetch(Path)} puts the four files:
     *         {@code <cacheDir>/fashion-mnist/usr/share/datasets/fashion-mnist}
     */
    public static Path cacheDataDir(Path cacheDir) {
        return cacheDir.resolve(NAME).resolve(PACKAGE_DATA_PATH);
    }

    /**
     * @return {@code $HEATWAVE_CACHE} if set and not blank, otherwise {@code ~/.cache/heatwave}
     */
    public static Path defaultCacheDir() {
        return defaultCacheDir(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultCacheDir(Map<String, String> env, String userHome) {
        String override = env.get(CACHE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(userHome, ".cache", "heatwave");
    }

    /**
     * Looks for a directory holding the four files: first {@link #SYSTEM_DIR}, then
     * {@link #cacheDataDir(Path)}.
     *
     * @param cacheDir the cache directory
     * @return the first complete directory, if any
     */
    public static Optional<Path> locate(Path cacheDir) {
        return locate(Env.DEFAULT, cacheDir);
    }

    static Optional<Path> locate(Env env, Path cacheDir) {
        return Stream.of(env.systemDir(), cacheDataDir(cacheDir)).filter(FashionMnist::isComplete).findFirst();
    }

    /**
     * Downloads the Debian package into the cache without root: {@code apt-get download} into a fresh
     * temporary directory under {@code cacheDir}, {@code dpkg-deb -x} into a subdirectory of it, then an
     * atomic rename to {@code <cacheDir>/fashion-mnist}. Does nothing if that already holds the files.
     * The temporary directory is removed in every case, so a failed fetch leaves nothing partial.
     *
     * @param cacheDir the cache directory, created if missing
     * @return the directory holding the four files, {@link #cacheDataDir(Path)}
     * @throws IOException naming the command and quoting its output if a command is missing or fails,
     *                     or if the package does not hold the four files
     */
    public static Path fetch(Path cacheDir) throws IOException {
        return fetch(Env.DEFAULT, cacheDir);
    }

    static Path fetch(Env env, Path cacheDir) throws IOException {
        Path target = cacheDir.resolve(NAME);
        Path data = cacheDataDir(cacheDir);
        if (isComplete(data)) {
            return data;
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, "." + NAME + "-fetch-");
        try {
            Path download = Files.createDirectory(tmp.resolve("download"));
            LOG.info(() -> "downloading the Debian package " + DEBIAN_PACKAGE + " into " + download);
            run(List.of(env.aptGet(), "download", DEBIAN_PACKAGE), download, tmp.resolve("apt-get.log"),
                    DOWNLOAD_TIMEOUT);
            Path deb = findDeb(download);
            Path extract = tmp.resolve("extract");
            LOG.info(() -> "unpacking " + deb + " into " + extract);
            run(List.of(env.dpkgDeb(), "-x", deb.toString(), extract.toString()), tmp, tmp.resolve("dpkg-deb.log"),
                    EXTRACT_TIMEOUT);
            List<Part> missing = missingParts(extract.resolve(PACKAGE_DATA_PATH));
            if (!missing.isEmpty()) {
                throw new IOException(String.format("the package %s (%s) lacks %s under /%s",
                        DEBIAN_PACKAGE, deb.getFileName(), describe(missing), PACKAGE_DATA_PATH));
            }
            install(extract, target, tmp);
            if (!isComplete(data)) {
                throw new IOException("after installing the package into " + target + ", " + data
                        + " lacks " + describe(missingParts(data)));
            }
            LOG.info(() -> "Fashion-MNIST is ready in " + data);
            return data;
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * Renames {@code extract} to {@code target}, first moving an incomplete {@code target} aside into
     * {@code tmp}. If another process installs a complete copy first, keeps that one.
     */
    private static void install(Path extract, Path target, Path tmp) throws IOException {
        Path data = target.resolve(PACKAGE_DATA_PATH);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (isComplete(data)) {
                return;
            }
            Files.move(target, tmp.resolve("stale"), StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(extract, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + extract + " to " + target + " atomically", e);
        } catch (IOException e) {
            if (!isComplete(data)) {
                throw e;
            }
        }
    }

    private static Path findDeb(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(DEBIAN_PACKAGE + "_") && name.endsWith(".deb");
            }).sorted().findFirst().orElseThrow(() -> new IOException(
                    "apt-get download " + DEBIAN_PACKAGE + " succeeded but left no " + DEBIAN_PACKAGE
                            + "_*.deb in " + dir));
        }
    }

    /** Runs a command with its output in {@code log}; throws with the output if it fails. */
    private static void run(List<String> command, Path workDir, Path log, Duration timeout) throws IOException {
        String shown = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(String.format("cannot run '%s' (%s needs apt-get and dpkg-deb, as on Debian"
                    + " or Ubuntu): %s", shown, DEBIAN_PACKAGE, e.getMessage()), e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.format("'%s' did not finish within %d minutes; its output:%n%s",
                        shown, timeout.toMinutes(), tail(log)));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running '" + shown + "'");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.format("'%s' failed with exit code %d in %s; its output:%n%s",
                    shown, process.exitValue(), workDir, tail(log)));
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
        if (text.isEmpty()) {
            return "(no output)";
        }
        return text.length() <= OUTPUT_TAIL_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, e, () -> "could not remove the temporary directory " + dir);
        }
    }

    /**
     * Finds the directory holding the four files: {@code explicitDirOrNull} if given (it must hold
     * them), else {@link #locate(Path)}, else {@link #fetch(Path)} if allowed.
     *
     * @param explicitDirOrNull a directory named by the user (for example the {@code data.path} setting),
     *                          or null
     * @param cacheDir          the cache directory
     * @param fetchIfMissing    whether to download the Debian package when the data is found nowhere
     * @return a local directory holding the four files
     * @throws FileNotFoundException naming the directory and the missing files, or explaining how to get
     *                               the data
     * @throws IOException           if fetching fails
     */
    public static Path resolve(Path explicitDirOrNull, Path cacheDir, boolean fetchIfMissing) throws IOException {
        return resolve(Env.DEFAULT, explicitDirOrNull, cacheDir, fetchIfMissing);
    }

    static Path resolve(Env env, Path explicitDirOrNull, Path cacheDir, boolean fetchIfMissing) throws IOException {
        if (explicitDirOrNull != null) {
            if (!Files.isDirectory(explicitDirOrNull)) {
                throw new FileNotFoundException("Fashion-MNIST directory " + explicitDirOrNull
                        + " does not exist or is not a directory");
            }
            List<Part> missing = missingParts(explicitDirOrNull);
            if (!missing.isEmpty()) {
                throw new FileNotFoundException(String.format(
                        "Fashion-MNIST directory %s lacks %s (it needs %s)",
                        explicitDirOrNull, describe(missing), describe(List.of(Part.values()))));
            }
            return explicitDirOrNull;
        }
        Optional<Path> found = locate(env, cacheDir);
        if (found.isPresent()) {
            return found.get();
        }
        String howTo = String.format("run 'bin/heatwave data fetch %s' (downloads the Debian package %s into"
                + " %s, no root needed), or 'sudo apt-get install %s', or set data.path to a directory"
                + " holding %s", NAME, DEBIAN_PACKAGE, cacheDir, DEBIAN_PACKAGE, describe(List.of(Part.values())));
        if (fetchIfMissing) {
            try {
                return fetch(env, cacheDir);
            } catch (IOException e) {
                throw new IOException("fetching Fashion-MNIST failed: " + e.getMessage()
                        + System.lineSeparator() + "Alternatively " + howTo, e);
            }
        }
        throw new FileNotFoundException(String.format("Fashion-MNIST not found in %s or %s. To get it, %s",
                env.systemDir(), cacheDataDir(cacheDir), howTo));
    }

    /**
     * Reads the training or test set from a local directory.
     *
     * @param dir   a directory holding the files, e.g. from {@link #resolve(Path, Path, boolean)}
     * @param train the training set (60,000) if true, the test set (10,000) if false
     * @param limit how many records to keep; 0 keeps all
     * @return the images, 28x28 scaled to [0, 1], with labels 0..9
     * @throws FileNotFoundException  if a file is missing
     * @throws DatasetFormatException if a file is malformed or the images are not 28x28
     * @throws IOException            if reading fails
     */
    public static LabeledImages load(Path dir, boolean train, int limit) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path images = require(dir, Part.images(train));
        Path labels = require(dir, Part.labels(train));
        LabeledImages set;
        try (InputStream imageIn = Files.newInputStream(images); InputStream labelIn = Files.newInputStream(labels)) {
            set = IdxReader.read(imageIn, images.toString(), Files.size(images),
                    labelIn, labels.toString(), Files.size(labels), NUM_CLASSES, limit);
        }
        if (set.height() != HEIGHT || set.width() != WIDTH) {
            throw new DatasetFormatException(String.format("%s: Fashion-MNIST images are %dx%d but these are %dx%d",
                    images, HEIGHT, WIDTH, set.height(), set.width()));
        }
        return set;
    }

    private static Path require(Path dir, Part part) throws FileNotFoundException {
        return part.find(dir).orElseThrow(() -> new FileNotFoundException(
                "Fashion-MNIST directory " + dir + " lacks " + part.display()));
    }

    private static String describe(List<Part> parts) {
        return parts.stream().map(Part::display).collect(Collectors.joining(", "));
    }
}
