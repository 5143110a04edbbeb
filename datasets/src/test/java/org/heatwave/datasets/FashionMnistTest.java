package org.heatwave.datasets;

import static org.heatwave.datasets.IdxFixtures.gzip;
import static org.heatwave.datasets.IdxFixtures.images;
import static org.heatwave.datasets.IdxFixtures.labels;
import static org.heatwave.datasets.IdxFixtures.randomBytes;
import static org.heatwave.datasets.IdxFixtures.randomLabels;
import static org.heatwave.datasets.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.heatwave.datasets.FashionMnist.Env;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final int TRAIN = 5;
    private static final int TEST = 3;
    private static final int PIXELS = FashionMnist.HEIGHT * FashionMnist.WIDTH;
    private static final Logger QUIET = Logger.getLogger(FashionMnist.class.getName());

    @TempDir
    Path tmp;

    private final Random random = new Random(7L);

    @BeforeAll
    static void quiet() {
        QUIET.setLevel(Level.WARNING);
    }

    /** Writes the four files with tiny 28x28 sets; the test labels raw, everything else gzip. */
    private Path writeDataset(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, IdxFile.TRAIN_IMAGES.baseName() + ".gz",
                gzip(images(TRAIN, 28, 28, randomBytes(random, TRAIN * PIXELS))));
        write(dir, IdxFile.TRAIN_LABELS.baseName() + ".gz", gzip(labels(randomLabels(random, TRAIN, 10))));
        write(dir, IdxFile.TEST_IMAGES.baseName() + ".gz",
                gzip(images(TEST, 28, 28, randomBytes(random, TEST * PIXELS))));
        write(dir, IdxFile.TEST_LABELS.baseName(), labels(randomLabels(random, TEST, 10)));
        return dir;
    }

    private Path script(String name, String body) throws IOException {
        return IdxFixtures.script(tmp, name, body);
    }

    /** Fake apt-get and dpkg-deb that "download" a .deb and "unpack" {@code payload} into the package path. */
    private Env fakeDebian(Path payload) throws IOException {
        Path aptGet = script("apt-get", "echo \"Get:1 fake $*\"\n: > dataset-fashion-mnist_1.0-1_all.deb");
        Path dpkgDeb = script("dpkg-deb", "d=\"$3/" + FashionMnist.PACKAGE_DATA_PATH + "\"\nmkdir -p \"$d\"\n"
                + "cp '" + payload + "'/* \"$d\"/");
        return new Env(tmp.resolve("no-system-dir"), aptGet.toString(), dpkgDeb.toString());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void classNamesAndParts() {
        assertEquals(FashionMnist.NUM_CLASSES, FashionMnist.classNames().size());
        assertEquals("T-shirt/top", FashionMnist.classNames().get(0));
        assertEquals("Ankle boot", FashionMnist.classNames().get(9));
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"), IdxFile.images(false).fileNames());
        assertEquals(IdxFile.TRAIN_LABELS, IdxFile.labels(true));
    }

    @Test
    void defaultCacheDirHonoursTheEnvironment() {
        assertEquals(Path.of("/data/hw"), DatasetCache.defaultDir(Map.of("HEATWAVE_CACHE", "/data/hw"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/heatwave"), DatasetCache.defaultDir(Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/heatwave"),
                DatasetCache.defaultDir(Map.of("HEATWAVE_CACHE", " "), "/home/u"));
    }

    @Test
    void resolveRefusesAnExplicitDirMissingAFile() throws IOException {
        Path dir = writeDataset(tmp.resolve("data"));
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> FashionMnist.resolve(dir, tmp.resolve("cache"), false));
        assertTrue(e.getMessage().contains(dir + " lacks t10k-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertFalse(e.getMessage().contains("lacks train-images"), e.getMessage());
    }

    @Test
    void resolveRefusesAnExplicitDirThatDoesNotExist() {
        Path dir = tmp.resolve("nowhere");
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> FashionMnist.resolve(dir, tmp.resolve("cache"), true));
        assertTrue(e.getMessage().contains(dir + " does not exist"), e.getMessage());
    }

    @Test
    void resolveAcceptsACompleteExplicitDirAndLoadsIt() throws IOException {
        Path dir = writeDataset(tmp.resolve("data"));
        assertEquals(dir, FashionMnist.resolve(dir, tmp.resolve("cache"), false));
        LabeledImages test = FashionMnist.load(dir, false, 0);
        assertEquals(TEST, test.count());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        assertEquals(10, test.numClasses());
        LabeledImages train = FashionMnist.load(dir, true, 2);
        assertEquals(2, train.count());
        assertTrue(train.source().contains("train-images-idx3-ubyte.gz"), train.source());
    }

    @Test
    void loadRefusesImagesOfTheWrongSize() throws IOException {
        Path dir = writeDataset(tmp.resolve("data"));
        write(dir, "t10k-images-idx3-ubyte.gz", gzip(images(TEST, 3, 5, new byte[TEST * 15])));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> FashionMnist.load(dir, false, 0));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: Fashion-MNIST images are 28x28 but these are 3x5"),
                e.getMessage());
    }

    @Test
    void locateTriesTheSystemDirThenTheCache() throws IOException {
        Path cache = tmp.resolve("cache");
        Env noSystem = new Env(tmp.resolve("system"), "apt-get", "dpkg-deb");
        assertEquals(Optional.empty(), FashionMnist.locate(noSystem, cache));
        Path cached = writeDataset(FashionMnist.cacheDataDir(cache));
        assertEquals(Optional.of(cached), FashionMnist.locate(noSystem, cache));
        Path system = writeDataset(tmp.resolve("system"));
        assertEquals(Optional.of(system), FashionMnist.locate(noSystem, cache));
    }

    @Test
    void resolveExplainsHowToGetTheDataWhenNotAllowedToFetch() {
        Env env = new Env(tmp.resolve("system"), "apt-get", "dpkg-deb");
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> FashionMnist.resolve(env, null, tmp.resolve("cache"), false));
        for (String hint : List.of("bin/heatwave data fetch fashion-mnist", "apt-get install dataset-fashion-mnist",
                "data.path", tmp.resolve("system").toString())) {
            assertTrue(e.getMessage().contains(hint), () -> "lacks '" + hint + "': " + e.getMessage());
        }
    }

    @Test
    void fetchUnpacksIntoTheCacheAndLeavesNothingElse() throws IOException {
        Path payload = writeDataset(tmp.resolve("payload"));
        Path cache = tmp.resolve("cache");
        Path data = FashionMnist.resolve(fakeDebian(payload), null, cache, true);
        assertEquals(FashionMnist.cacheDataDir(cache), data);
        assertTrue(IdxFile.isComplete(data));
        assertEquals(List.of(FashionMnist.NAME), list(cache), "temporary files were left behind");
        assertEquals(TRAIN, FashionMnist.load(data, true, 0).count());

        Env broken = new Env(tmp.resolve("no-system-dir"), script("fail", "exit 1").toString(), "dpkg-deb");
        assertEquals(data, FashionMnist.fetch(broken, cache), "a complete cache must not be fetched again");
        assertEquals(Optional.of(data), FashionMnist.locate(broken, cache));
    }

    @Test
    void fetchReplacesAnIncompleteCache() throws IOException {
        Path payload = writeDataset(tmp.resolve("payload"));
        Path cache = tmp.resolve("cache");
        Path stale = Files.createDirectories(FashionMnist.cacheDataDir(cache));
        Files.writeString(stale.resolve("train-images-idx3-ubyte.gz"), "partial");
        Path data = FashionMnist.fetch(fakeDebian(payload), cache);
        assertTrue(IdxFile.isComplete(data));
        assertArrayEquals(Files.readAllBytes(payload.resolve("train-images-idx3-ubyte.gz")),
                Files.readAllBytes(data.resolve("train-images-idx3-ubyte.gz")));
        assertEquals(List.of(FashionMnist.NAME), list(cache));
    }

    @Test
    void fetchReportsAFailingCommandWithItsOutput() throws IOException {
        Path aptGet = script("apt-get", "echo 'E: Unable to locate package dataset-fashion-mnist' >&2\nexit 100");
        Env env = new Env(tmp.resolve("no-system-dir"), aptGet.toString(), "dpkg-deb");
        Path cache = tmp.resolve("cache");
        IOException e = assertThrows(IOException.class, () -> FashionMnist.resolve(env, null, cache, true));
        for (String part : List.of("download dataset-fashion-mnist' failed with exit code 100",
                "E: Unable to locate package dataset-fashion-mnist", "bin/heatwave data fetch fashion-mnist")) {
            assertTrue(e.getMessage().contains(part), () -> "lacks '" + part + "': " + e.getMessage());
        }
        assertEquals(List.of(), list(cache), "a failed fetch must leave nothing behind");
    }

    @Test
    void fetchReportsAMissingCommand() throws IOException {
        Env env = new Env(tmp.resolve("no-system-dir"), tmp.resolve("no-such-apt-get").toString(), "dpkg-deb");
        Path cache = tmp.resolve("cache");
        IOException e = assertThrows(IOException.class, () -> FashionMnist.fetch(env, cache));
        assertTrue(e.getMessage().contains("cannot run '" + tmp.resolve("no-such-apt-get")), e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void fetchRefusesAPackageWithoutTheFiles() throws IOException {
        Path payload = writeDataset(tmp.resolve("payload"));
        Files.delete(payload.resolve("train-labels-idx1-ubyte.gz"));
        IOException e = assertThrows(IOException.class,
                () -> FashionMnist.fetch(fakeDebian(payload), tmp.resolve("cache")));
        assertTrue(e.getMessage().contains("lacks train-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache").resolve(FashionMnist.NAME)));
    }

    /** Runs only where the Debian package is installed; never downloads. */
    @Test
    void realTestSet() throws IOException {
        Assumptions.assumeTrue(IdxFile.isComplete(FashionMnist.SYSTEM_DIR),
                "dataset-fashion-mnist is not installed");
        LabeledImages test = FashionMnist.load(FashionMnist.SYSTEM_DIR, false, 0);
        assertEquals(10_000, test.count());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        int[] expected = new int[10];
        java.util.Arrays.fill(expected, 1000);
        assertArrayEquals(expected, test.classCounts());
        float max = 0f;
        for (float v : test.pixels()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, "some pixel should be fully white");
    }
}
