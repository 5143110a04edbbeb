package org.heatwave.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 60,000 training and 10,000 test greyscale images of
 * 28x28 pixels in 10 clothing classes, stored as four IDX files.
 *
 * <p>The data comes from the Debian package {@value #DEBIAN_PACKAGE}, either installed system-wide in
 * {@code /usr/share/datasets/fashion-mnist} or downloaded and unpacked without root into the cache
 * directory by {@link #fetch(Path)}. {@link #resolve(Path, Path, boolean)} chooses between an explicit
 * directory, those two places and a fetch. The file names live in {@link IdxFile}.
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

    private static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final Logger LOG = Logger.getLogger(FashionMnist.class.getName());
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(5);
    private static final String NEEDS = DEBIAN_PACKAGE + " needs apt-get and dpkg-deb, as on Debian or Ubuntu";

    /** The commands and system directory the lookups use; tests substitute fakes. */
    record Env(Path systemDir, String aptGet, String dpkgDeb) {
        static final Env DEFAULT = new Env(SYSTEM_DIR, "apt-get", "dpkg-deb");
    }

    private FashionMnist() {
    }

    /** @return the class names, indexed by label; unmodifiable */
    public static List<String> classNames() {
        return CLASS_NAMES;
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
        return Stream.of(env.systemDir(), cacheDataDir(cacheDir)).filter(IdxFile::isComplete).findFirst();
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
        Path data = DatasetCache.fetch(cacheDir, NAME, cacheDataDir(cacheDir), tmp -> {
            Path download = Files.createDirectory(tmp.resolve("download"));
            LOG.info(() -> "downloading the Debian package " + DEBIAN_PACKAGE + " into " + download);
            ExternalCommand.run(List.of(env.aptGet(), "download", DEBIAN_PACKAGE), download, tmp.resolve("apt-get.log"),
                    DOWNLOAD_TIMEOUT, NEEDS);
            Path deb = findDeb(download);
            Path extract = tmp.resolve("extract");
            LOG.info(() -> "unpacking " + deb + " into " + extract);
            ExternalCommand.run(List.of(env.dpkgDeb(), "-x", deb.toString(), extract.toString()), tmp,
                    tmp.resolve("dpkg-deb.log"), EXTRACT_TIMEOUT, NEEDS);
            List<IdxFile> missing = IdxFile.missing(extract.resolve(PACKAGE_DATA_PATH));
            if (!missing.isEmpty()) {
                throw new IOException(String.format("the package %s (%s) lacks %s under /%s",
                        DEBIAN_PACKAGE, deb.getFileName(), IdxFile.describe(missing), PACKAGE_DATA_PATH));
            }
            return extract;
        });
        LOG.info(() -> "Fashion-MNIST is ready in " + data);
        return data;
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
            List<IdxFile> missing = IdxFile.missing(explicitDirOrNull);
            if (!missing.isEmpty()) {
                throw new FileNotFoundException(String.format(
                        "Fashion-MNIST directory %s lacks %s (it needs %s)",
                        explicitDirOrNull, IdxFile.describe(missing), IdxFile.describe(List.of(IdxFile.values()))));
            }
            return explicitDirOrNull;
        }
        Optional<Path> found = locate(env, cacheDir);
        if (found.isPresent()) {
            return found.get();
        }
        String howTo = String.format("run 'bin/heatwave data fetch %s' (downloads the Debian package %s into"
                + " %s, no root needed), or 'sudo apt-get install %s', or set data.path to a directory"
                + " holding %s", NAME, DEBIAN_PACKAGE, cacheDir, DEBIAN_PACKAGE, IdxFile.describe(List.of(IdxFile.values())));
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
        Path images = require(dir, IdxFile.images(train));
        Path labels = require(dir, IdxFile.labels(train));
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

    private static Path require(Path dir, IdxFile part) throws FileNotFoundException {
        return part.find(dir).orElseThrow(() -> new FileNotFoundException(
                "Fashion-MNIST directory " + dir + " lacks " + part.display()));
    }
}
