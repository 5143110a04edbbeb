package org.heatwave.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.heatwave.pipeline.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIOTest {
    private static final ModelSpec SPEC = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", 10);
    private final Configuration conf = new Configuration();

    /**
     * Hadoop's local file system keeps a CRC of each file and would report the tampering itself; remove
     * those so the model's own SHA-256 (the check that also holds on HDFS and object stores) is exercised.
     */
    private static void dropHadoopChecksums(Path modelDir) throws IOException {
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(f);
            }
        }
    }

    private double[] params() {
        return SPEC.build().init(5);
    }

    @Test
    void roundTrip(@TempDir Path dir) throws IOException {
        double[] p = params();
        String target = dir.resolve("model").toString();
        ModelIO.save(target, SPEC, p, Json.object().put("seed", 5), conf);
        ModelIO.SavedModel m = ModelIO.load(target, conf);
        assertEquals(SPEC, m.spec());
        assertArrayEquals(p, m.params());
        assertEquals(5, m.metadata().path("seed").asInt());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary directory is left behind");
        }
    }

    @Test
    void otherArchitecturesRoundTripAndOlderModelsReadAsTheReference(@TempDir Path dir) throws IOException {
        ModelSpec other = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", org.heatwave.layer.Normalization.INSTANCE,
                10, new org.heatwave.net.Architecture(java.util.List.of("resnet", "hamiltonian"), "hats(2)", false, "full"));
        String target = dir.resolve("other").toString();
        double[] p = other.build().init(3);
        ModelIO.save(target, other, p, null, conf);
        assertTrue(Files.readString(Path.of(target, "model.json")).contains("\"pde-cnn\""),
                "older heatwave versions refuse it instead of building a parabolic network");
        ModelIO.SavedModel m = ModelIO.load(target, conf);
        assertEquals(other, m.spec());
        assertArrayEquals(p, m.params());
        // the reference architecture is written as before, and a model without the fields reads as it
        String ref = dir.resolve("ref").toString();
        ModelIO.save(ref, SPEC, params(), null, conf);
        Path meta = Path.of(ref, "model.json");
        String json = Files.readString(meta);
        assertTrue(json.contains("\"parabolic\""));
        Files.writeString(meta, json.replaceAll(",?\\s*\"(blocks|weights_in_time|store_states|head)\"\\s*:\\s*(\\[[^]]*]|\"[^\"]*\"|true|false)", ""));
        dropHadoopChecksums(Path.of(ref));
        assertTrue(!Files.readString(meta).contains("blocks"), Files.readString(meta));
        assertEquals(org.heatwave.net.Architecture.PARABOLIC, ModelIO.load(ref, conf).spec().architecture());
    }

    @Test
    void theNormalisationIsSavedAndOlderModelsReadAsInstance(@TempDir Path dir) throws IOException {
        ModelSpec batch = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh",
                org.heatwave.layer.Normalization.BATCH, 10);
        String target = dir.resolve("batch").toString();
        ModelIO.save(target, batch, batch.build().init(5), null, conf);
        assertEquals(batch, ModelIO.load(target, conf).spec());
        // a model written before the field existed
        String old = dir.resolve("old").toString();
        ModelIO.save(old, SPEC, params(), null, conf);
        Path meta = Path.of(old, "model.json");
        String json = Files.readString(meta);
        Files.writeString(meta, json.replaceAll(",?\\s*\"normalization\"\\s*:\\s*\"instance\"", ""));
        dropHadoopChecksums(Path.of(old));
        assertTrue(!Files.readString(meta).contains("normalization"));
        assertEquals(org.heatwave.layer.Normalization.INSTANCE, ModelIO.load(old, conf).spec().normalization());
    }

    @Test
    void theInputStandardizationIsSavedUnderSchemaVersionTwoAndCheckedAtLoad(@TempDir Path dir) throws IOException {
        ModelSpec colour = new ModelSpec(8, 8, 3, new int[] {4}, 1, 0.5, "tanh", 5).standardized(
                new org.heatwave.pipeline.model.InputStandardization(new double[] {0.1, 0.2, 1.0 / 3},
                        new double[] {0.25, 0.5, Math.PI / 10}));
        String target = dir.resolve("colour").toString();
        double[] p = colour.build().init(2);
        ModelIO.save(target, colour, p, null, conf);
        Path meta = Path.of(target, "model.json");
        String json = Files.readString(meta);
        assertTrue(json.contains("\"schema_version\" : 2"), "version-1 readers refuse it rather than skip the standardisation");
        assertEquals(colour, ModelIO.load(target, conf).spec(), "the statistics read back bit for bit");
        // an unstandardised model keeps version 1
        ModelIO.save(dir.resolve("plain").toString(), SPEC, params(), null, conf);
        assertTrue(Files.readString(Path.of(dir.toString(), "plain", "model.json")).contains("\"schema_version\" : 1"));

        Files.writeString(meta, json.replace("0.5,", "0.0,"));
        Files.deleteIfExists(meta.resolveSibling(".model.json.crc"));
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(target, conf));
        assertTrue(e.getMessage().contains("model.json: invalid field in 'spec': channel 1: standardisation needs"),
                e.getMessage());
    }

    @Test
    void refusesToOverwrite(@TempDir Path dir) throws IOException {
        String target = dir.resolve("model").toString();
        ModelIO.save(target, SPEC, params(), null, conf);
        IOException e = assertThrows(IOException.class, () -> ModelIO.save(target, SPEC, params(), null, conf));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void corruptParametersFailTheChecksum(@TempDir Path dir) throws IOException {
        String target = dir.resolve("model").toString();
        ModelIO.save(target, SPEC, params(), null, conf);
        dropHadoopChecksums(dir.resolve("model"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model/params.bin").toFile(), "rw")) {
            f.seek(100);
            f.write(0x7f);
        }
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(target, conf));
        assertTrue(e.getMessage().contains("params.bin") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void wrongSchemaVersionIsNamed(@TempDir Path dir) throws IOException {
        String target = dir.resolve("model").toString();
        ModelIO.save(target, SPEC, params(), null, conf);
        dropHadoopChecksums(dir.resolve("model"));
        Path meta = dir.resolve("model/model.json");
        Files.writeString(meta, Files.readString(meta).replace("\"schema_version\" : 1", "\"schema_version\" : 99"));
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(target, conf));
        assertTrue(e.getMessage().contains("schema_version") && e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void truncatedParametersAreNamed(@TempDir Path dir) throws IOException {
        String target = dir.resolve("model").toString();
        ModelIO.save(target, SPEC, params(), null, conf);
        dropHadoopChecksums(dir.resolve("model"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model/params.bin").toFile(), "rw")) {
            f.setLength(f.length() - 8);
        }
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(target, conf));
        assertTrue(e.getMessage().contains("params.bin") && e.getMessage().contains("bytes"), e.getMessage());
    }
}
