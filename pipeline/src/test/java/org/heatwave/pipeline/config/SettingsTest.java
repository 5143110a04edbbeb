package org.heatwave.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaultsAndOverrides() {
        Settings s = Settings.load(null, List.of("train.epochs=7", "model.widths=[8,16]", "data.path=/tmp/some dir/x",
                "spark.master=local[2]"));
        assertEquals(7, s.epochs());
        assertArrayEquals(new int[] {8, 16}, s.widths());
        assertEquals("/tmp/some dir/x", s.dataPath());
        assertEquals("local[2]", s.sparkMaster());
        assertEquals(64, s.batchSize());
        assertEquals(1, s.seed());
    }

    @Test
    void unknownKeyInFileIsNamed(@TempDir Path dir) throws Exception {
        File f = dir.resolve("run.conf").toFile();
        Files.writeString(f.toPath(), "train { epochs = 2, learning-rat = 0.1 }\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.load(f, List.of()));
        assertTrue(e.getMessage().contains("train.learning-rat"), e.getMessage());
    }

    @Test
    void unknownKeyOnCommandLineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(null, List.of("seeed=3")));
        assertTrue(e.getMessage().contains("seeed"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(null, List.of("train.epochs=many")));
        assertTrue(e.getMessage().contains("train.epochs"), e.getMessage());
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of("train.batch-size=0")));
        assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of("train.schedule=linear")));
        assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of("model.widths=[]")));
        assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of("model.activation=sigmoid")));
        assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of("noequals")));
    }

    @Test
    void architectureKeysAreReadAndInvalidOnesNamed() {
        Settings s = Settings.load(null, List.of("model.blocks=[resnet, hamiltonian, lean]", "model.weights-in-time=\"hats(3)\"",
                "model.store-states=true", "model.head=full"));
        org.heatwave.net.Architecture a = s.architecture();
        assertEquals(List.of("resnet", "hamiltonian", "lean"), a.blocks());
        assertEquals("hats(3)", a.weightsInTime());
        assertTrue(a.storeStates());
        assertEquals("full", a.head());
        assertEquals(org.heatwave.net.Architecture.PARABOLIC, Settings.load(null, List.of()).architecture());
        for (String[] bad : new String[][] {{"model.blocks=[resnet, telegraph, lean]", "model.blocks"},
            {"model.blocks=[resnet, lean]", "model.blocks"}, {"model.weights-in-time=hourly", "model.weights-in-time"},
            {"model.head=max", "model.head"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.load(null, List.of(bad[0])));
            assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
        }
    }

    @Test
    void renderedConfigReloads(@TempDir Path dir) throws Exception {
        Settings s = Settings.load(null, List.of("train.epochs=3"));
        File f = dir.resolve("resolved.conf").toFile();
        Files.writeString(f.toPath(), s.render());
        assertEquals(3, Settings.load(f, List.of()).epochs());
    }
}
