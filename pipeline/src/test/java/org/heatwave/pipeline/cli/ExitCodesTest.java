package org.heatwave.pipeline.cli;

import static org.heatwave.pipeline.cli.MainTest.capture;
import static org.heatwave.pipeline.cli.MainTest.captureErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heatwave.pipeline.TinyDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scheduler sees (issue 14): each kind of failure has its {@code sysexits.h} code and a message that
 * names the culprit, and a failed run leaves no model and no {@code _SUCCESS}.
 */
class ExitCodesTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = TinyDataset.write(tmp.resolve("data"), 64, 32, 8, 9);
    }

    private static String[] train(Path out, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString(), "--set", "data.path=" + data,
                "--set", "model.widths=[4]", "--set", "model.steps=1", "--set", "train.epochs=1", "--set", "train.batch-size=32",
                "--set", "spark.master=\"local[2]\""));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    private static void expect(int code, String message, String... args) throws Exception {
        String err = captureErr(() -> capture(() -> assertEquals(code, Main.execute(args), String.join(" ", args))));
        assertTrue(err.contains(message), "expected '" + message + "' in: " + err);
    }

    @Test
    void usageErrorsExit64() throws Exception {
        expect(ExitCodes.USAGE, "Unknown option: '--bogus'", "train", "--bogus");
        expect(ExitCodes.USAGE, "--resume takes the run's own configuration", "train", "--resume", tmp.toString(),
                "--set", "seed=2");
    }

    @Test
    void invalidConfigurationsExit78BeforeAnythingIsWritten() throws Exception {
        Path out = tmp.resolve("never");
        expect(ExitCodes.CONFIG, "train.momentum must be in [0, 1), got 1.5", train(out, "train.momentum=1.5"));
        expect(ExitCodes.CONFIG, "train.weight-decay must be >= 0, got -1", train(out, "train.weight-decay=-1"));
        expect(ExitCodes.CONFIG, "train.batch-size = 30 is not a multiple of data.shards = 4", train(out, "train.batch-size=30"));
        expect(ExitCodes.CONFIG, "train.cg-tolerance must be in (0, 1)", train(out, "train.cg-tolerance=2"));
        expect(ExitCodes.CONFIG, "unknown config key train.epoch", train(out, "train.epoch=3"));
        expect(ExitCodes.CONFIG, "model.widths = [4, 8, 16] does not fit 8x8 images: block 3 (width 16) would work on 2x2",
                train(out, "model.widths=[4, 8, 16]"));
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void missingInputExits66AndBadDataExits65() throws Exception {
        expect(ExitCodes.NO_INPUT, "no train-images-idx3-ubyte", train(tmp.resolve("r1"), "data.path=" + tmp.resolve("nowhere")));
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(data.resolve(f), bad.resolve(f));
        }
        byte[] whole = Files.readAllBytes(data.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(bad.resolve("train-labels-idx1-ubyte.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        expect(ExitCodes.DATA_ERROR, "train-labels-idx1-ubyte.gz", train(tmp.resolve("r2"), "data.path=" + bad));
        expect(ExitCodes.NO_INPUT, "is not a heatwave run", "train", "--resume", tmp.resolve("no-run").toString());
        assertFalse(Files.exists(tmp.resolve("r1").resolve("_SUCCESS")) || Files.exists(tmp.resolve("r2").resolve("model")));
    }

    @Test
    void anExistingOutputExits73BeforeSparkStarts() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("precious.txt"), "keep me");
        // an unreachable master would exit 75 once Spark starts: 73 shows the output was checked before
        expect(ExitCodes.CANNOT_CREATE, "already exists", train(out, "spark.master=\"spark://127.0.0.1:1\"",
                "data.prepared-dir=" + tmp.resolve("prep")));
        assertEquals(List.of("precious.txt"), Files.list(out).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void anUnreachableClusterExits75AndDriverOnlyDataOnAClusterExits78() throws Exception {
        expect(ExitCodes.TEMPORARY_FAILURE, "the Spark master spark://127.0.0.1:1 is unreachable",
                train(tmp.resolve("r3"), "spark.master=\"spark://127.0.0.1:1\"", "data.prepared-dir=" + tmp.resolve("prep")));
        expect(ExitCodes.CONFIG, "data.path is empty, so fashion-mnist would be found (or fetched) on this machine",
                train(tmp.resolve("r4"), "spark.master=\"yarn\"", "data.path=\"\""));
        expect(ExitCodes.CONFIG, "set data.prepared-dir", train(tmp.resolve("r5"), "spark.master=\"yarn\""));
        assertFalse(Files.exists(tmp.resolve("r3")) || Files.exists(tmp.resolve("r4")) || Files.exists(tmp.resolve("r5")));
    }

    @Test
    void divergenceExits1AndSavesNothing() throws Exception {
        Path out = tmp.resolve("diverged");
        expect(ExitCodes.FAILURE, "diverged", train(out, "train.learning-rate=1e12", "train.momentum=0"));
        assertFalse(Files.exists(out.resolve("model")), "a non-finite model is never saved");
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void resumingAFinishedRunExits0AndSaysSo() throws Exception {
        Path out = tmp.resolve("done");
        capture(() -> assertEquals(ExitCodes.OK, Main.execute(train(out))));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        String said = capture(() -> assertEquals(ExitCodes.OK, Main.execute("train", "--resume", out.toString())));
        assertTrue(said.contains("finished run"), said);
    }
}
