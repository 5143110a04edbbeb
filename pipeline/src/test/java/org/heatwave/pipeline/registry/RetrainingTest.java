package org.heatwave.pipeline.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.cli.ExitCodes;
import org.heatwave.pipeline.cli.Main;
import org.heatwave.pipeline.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nights of scheduled retraining through the real command line, on real Spark (local mode) and real files: new
 * labelled images arrive as one directory per night; each night's {@code bin/heatwave retrain} snapshots them,
 * warm-starts from the champion, evaluates both on the same held-out set and promotes only through the gates.
 */
class RetrainingTest {
    @TempDir
    Path tmp;

    /** One command line run: exit code, standard output, standard error. */
    record Cli(int code, String out, String err) {
        /** The JSON decision: the last line of the output. */
        JsonNode decision() throws IOException {
            String[] lines = out.strip().split("\n");
            return Json.MAPPER.readTree(lines[lines.length - 1]);
        }
    }

    static synchronized Cli heatwave(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Delivers a night's data as a scheduler's upstream job would: written under a hidden name, renamed into place.
     *
     * @param swapLabels the training labels of this night corrupted (0 and 1 swapped: every bar's orientation wrong)
     */
    static void deliver(Path incoming, String night, int train, int test, long seed, boolean swapLabels) throws IOException {
        Path hidden = TinyDataset.write(incoming.resolve("_" + night), train, test, 8, seed);
        if (swapLabels) {
            Path labels = hidden.resolve("train-labels-idx1-ubyte.gz");
            byte[] idx;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
                idx = in.readAllBytes();
            }
            for (int i = 8; i < idx.length; i++) {
                idx[i] = (byte) (1 - idx[i]);
            }
            TinyDataset.gz(labels, idx);
        }
        Files.move(hidden, incoming.resolve(night), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The nightly command: tiny network, a cold start of 2 epochs, warm starts of 1. */
    String[] retrain(Path registry, Path incoming, String... extra) throws IOException {
        return retrain(tmp, registry.toString(), incoming, extra);
    }

    /** The nightly command, its configuration written into {@code dir}. */
    static String[] retrain(Path dir, String registry, Path incoming, String... extra) throws IOException {
        Path config = dir.resolve("nightly.conf");
        Files.writeString(config, "data.path = \"" + incoming + "\"\nspark.master = \"local[2]\"\n"
                + "model { widths = [4, 8], steps = 2 }\ntrain { batch-size = 32, epochs = 2, learning-rate = 0.05 }\n"
                + "log.every-steps = 1000\nretrain { gate.tolerance = 0.5, drift.max-class-shift = 0.2 }\n");
        List<String> args = new ArrayList<>(List.of("retrain", "--registry", registry, "--config", config.toString()));
        for (String e : extra) {
            args.add("--set");
            args.add(e);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void nightsOfRetraining() throws Exception {
        Path incoming = Files.createDirectories(tmp.resolve("incoming")), registry = tmp.resolve("registry");
        Configuration conf = new Configuration();

        // night 1: an empty registry, a cold start
        deliver(incoming, "date=2026-12-01", 160, 64, 1, false);
        Cli night1 = heatwave(retrain(registry, incoming));
        assertEquals(ExitCodes.OK, night1.code(), night1.err());
        JsonNode d1 = night1.decision();
        assertEquals("promoted", d1.get("decision").asText(), d1.toString());
        assertEquals(1, d1.get("champion").asInt());
        assertEquals(1, d1.get("challenger").asInt());
        assertTrue(night1.out().contains("retrain: cold start, 2 epoch(s) over all 160 images"), night1.out());
        ModelRegistry r = ModelRegistry.open(registry.toString(), conf);
        ModelVersion v1 = r.version(1);
        assertNull(v1.parent());
        assertEquals(List.of("date=2026-12-01"), v1.parts());
        assertEquals(160, v1.trainingData().count());
        assertTrue(v1.code().startsWith("heatwave "), v1.code());

        // night 2: more data, a warm start from v1, better on the held-out set of both nights
        deliver(incoming, "date=2026-12-02", 320, 64, 2, false);
        Files.createDirectories(incoming.resolve("_date=2026-12-03")); // a delivery still being copied: not read
        Cli night2 = heatwave(retrain(registry, incoming));
        assertEquals(ExitCodes.OK, night2.code(), night2.err());
        JsonNode d2 = night2.decision();
        assertEquals("promoted", d2.get("decision").asText(), night2.out());
        assertEquals(2, d2.get("champion").asInt());
        assertTrue(night2.out().contains("retrain: warm start from v1, 1 epoch(s) over all 480 images"), night2.out());
        assertEquals(1, r.version(2).parent());
        assertEquals(List.of("date=2026-12-01", "date=2026-12-02"), r.version(2).parts());
        assertEquals(128, r.version(2).evaluated(), "held out: the test images of both nights");

        // night 3: the new labels are corrupted; the challenger is worse and kept out, and the decision says why
        deliver(incoming, "date=2026-12-03", 960, 64, 3, true);
        Cli night3 = heatwave(retrain(registry, incoming));
        assertEquals(ExitCodes.OK, night3.code(), night3.err());
        JsonNode d3 = night3.decision();
        assertEquals("kept", d3.get("decision").asText(), night3.out());
        assertEquals(2, d3.get("champion").asInt());
        assertEquals(3, d3.get("challenger").asInt());
        String reasons = d3.get("reasons").toString();
        assertTrue(reasons.contains("no regression failed") && reasons.contains("improvement failed"), reasons);
        String report = new String(r.file(d3.get("report").asText()), StandardCharsets.UTF_8);
        assertTrue(report.contains("kept: v3 not promoted, champion v2 stays") && report.contains("no regression")
                && report.contains("data:image/png;base64,"), "the report says why, with its figures inline");
        assertEquals(2, r.champion().orElseThrow());

        // night 3 again: nothing new, nothing trained, nothing written
        int versions = r.versions().size(), decisions = r.decisions().size();
        Cli again = heatwave(retrain(registry, incoming));
        assertEquals(ExitCodes.OK, again.code(), again.err());
        assertEquals("unchanged", again.decision().get("decision").asText());
        assertEquals(2, again.decision().get("champion").asInt());
        assertTrue(again.decision().get("challenger").isNull());
        assertFalse(again.out().contains("training"), "no Spark job, no training: " + again.out());
        assertEquals(versions, r.versions().size());
        assertEquals(decisions, r.decisions().size());

        // rollback to v1 by hand
        Cli back = heatwave("registry", "rollback", "--registry", registry.toString(), "--to", "1");
        assertEquals(ExitCodes.OK, back.code(), back.err());
        assertEquals(1, back.decision().get("champion").asInt());
        assertEquals(1, r.champion().orElseThrow());
        Cli list = heatwave("registry", "list", "--registry", registry.toString(), "--json");
        assertEquals(1, Json.MAPPER.readTree(list.out()).get("champion").asInt());
        assertTrue(heatwave("registry", "list", "--registry", registry.toString()).out().contains("* v1 "));

        // a run while another holds the lock: refused with 75, nothing changed
        try (RegistryLock held = r.lock("a nightly run", 10, new PrintStream(PrintStream.nullOutputStream()))) {
            Cli concurrent = heatwave(retrain(registry, incoming, "seed=2"));
            assertEquals(ExitCodes.TEMPORARY_FAILURE, concurrent.code(), concurrent.out() + concurrent.err());
            assertTrue(concurrent.err().contains("is locked by 'a nightly run'"), concurrent.err());
            Cli promote = heatwave("registry", "promote", "--registry", registry.toString(), "3");
            assertEquals(ExitCodes.TEMPORARY_FAILURE, promote.code(), "operator actions wait for the lock too");
        }
        assertEquals(decisions + 1, r.decisions().size());

        // drifted data, refused when configured: nothing trained, the champion kept, the decision and report say why
        deliver(incoming, "date=2026-12-04", 160, 64, 4, false);
        Cli drifted = heatwave(retrain(registry, incoming, "retrain.drift.max-pixel-shift=0.0001", "retrain.drift.refuse=true"));
        assertEquals(ExitCodes.DATA_ERROR, drifted.code(), drifted.out() + drifted.err());
        JsonNode refused = drifted.decision();
        assertEquals("kept", refused.get("decision").asText());
        assertEquals(1, refused.get("champion").asInt());
        assertTrue(refused.get("challenger").isNull());
        assertTrue(refused.get("reasons").get(0).asText().startsWith("refused: the data drifted"), refused.toString());
        assertTrue(refused.get("reasons").toString().contains("pixels mean"), refused.toString());
        assertTrue(new String(r.file(refused.get("report").asText()), StandardCharsets.UTF_8).contains("✘ beyond"));
        assertEquals(versions, r.versions().size(), "nothing trained");

        // a delivery of another image size: refused naming it
        Files.move(TinyDataset.write(incoming.resolve("_date=2026-12-05"), 64, 16, 16, 5), incoming.resolve("date=2026-12-05"));
        Cli bigger = heatwave(retrain(registry, incoming));
        assertEquals(ExitCodes.DATA_ERROR, bigger.code(), bigger.out() + bigger.err());
        assertTrue(bigger.err().contains("date=2026-12-05 holds 1x16x16 images"), bigger.err());
        assertEquals(1, r.champion().orElseThrow());
    }
}
