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
        assertEquals(7, s.get(Keys.EPOCHS));
        assertArrayEquals(new int[] {8, 16}, s.ints(Keys.WIDTHS));
        assertEquals("/tmp/some dir/x", s.get(Keys.DATA_PATH));
        assertEquals("local[2]", s.get(Keys.SPARK_MASTER));
        assertEquals(64, s.get(Keys.BATCH_SIZE));
        assertEquals(1, s.get(Keys.SEED));
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
    void aHybridWhoseGaussNewtonPhaseTakesTheWholeBudgetIsRefused() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.load(null,
                List.of("train.optimizer=sgd-sgn-varpro", "train.epochs=3", "train.hybrid-gn-passes=3")));
        assertTrue(e.getMessage().contains("train.hybrid-gn-passes") && e.getMessage().contains("train.epochs"), e.getMessage());
        Settings.load(null, List.of("train.optimizer=sgd-sgn-varpro", "train.epochs=3", "train.hybrid-gn-passes=0.5"));
        Settings.load(null, List.of("train.optimizer=sgd", "train.epochs=2", "train.hybrid-gn-passes=2.5"));
    }

    @Test
    void aHybridWhoseGaussNewtonPhaseTakesALevelsWholeBudgetIsRefusedBeforeAnyLevelTrains() {
        List<String> schedule = List.of("train.optimizer=sgd-sgn-varpro", "data.pyramid=/tmp/pyramid", "multilevel.levels=[2, 1]",
                "multilevel.epochs=[3, 1]", "train.hybrid-gn-passes=1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.load(null, schedule));
        assertTrue(e.getMessage().contains("multilevel.epochs[1] = 1 (level 1)") && e.getMessage().contains("train.hybrid-gn-passes"),
                e.getMessage());
        Settings.load(null, List.of("train.optimizer=sgd-sgn-varpro", "data.pyramid=/tmp/pyramid", "multilevel.levels=[2, 1]",
                "multilevel.epochs=[3, 1]", "train.hybrid-gn-passes=0.5"));
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
        assertEquals(3, Settings.load(f, List.of()).get(Keys.EPOCHS));
    }

    @Test
    void everyDeclaredSettingRefusesWhatItDoesNotAllowNamingKeyAndRange() {
        int checked = 0;
        for (Setting<?> setting : Keys.all()) {
            String value = outside(setting);
            if (value == null) {
                continue;
            }
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Settings.load(null, List.of(setting.key() + "=" + value)), setting.key() + "=" + value);
            assertTrue(e.getMessage().startsWith(setting.key() + " must be "), e.getMessage());
            if (setting.type() != Setting.Type.BOOLEAN) {
                assertTrue(e.getMessage().contains(setting.allowed()), e.getMessage());
            }
            checked++;
        }
        assertTrue(checked > 40, "settings checked: " + checked);
    }

    /** A value {@code setting} does not allow, or null when it allows every value of its type. */
    private static String outside(Setting<?> setting) {
        String allowed = setting.allowed();
        return switch (setting.type()) {
            case INT, LONG -> allowed.equals("> 0") ? "0"
                    : allowed.startsWith(">= ") ? String.valueOf(Long.parseLong(allowed.substring(3)) - 1)
                    : allowed.startsWith("in [") ? String.valueOf(Long.parseLong(allowed.substring(4, allowed.indexOf(','))) - 1)
                    : null;
            case DOUBLE -> "-1"; // every real setting's range starts at 0
            case CHOICE -> "no-such-word";
            case BOOLEAN -> "maybe";
            case INT_LIST -> "[-5]";
            case STRING_LIST -> allowed.contains("non-empty") ? "[]" : null;
            case STRING -> null;
        };
    }

    @Test
    void keysThatMustAgreeAreCheckedTogether() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Settings.load(null, List.of("train.batch-size=10", "data.shards=4")));
        assertTrue(e.getMessage().contains("train.batch-size") && e.getMessage().contains("data.shards"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> Settings.load(null, List.of("multilevel.levels=[1, 0]", "multilevel.epochs=[1]", "data.pyramid=/p")));
        assertTrue(e.getMessage().contains("multilevel.epochs"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> Settings.load(null, List.of("multilevel.levels=[0]",
                "multilevel.epochs=[1]")));
        assertTrue(e.getMessage().contains("data.pyramid"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> Settings.load(null, List.of("train.augment-flip=true",
                "train.optimizer=sgn")));
        assertTrue(e.getMessage().contains("train.augment-flip") && e.getMessage().contains("sgn"), e.getMessage());
        Settings.load(null, List.of("train.augment-shift=2", "train.optimizer=adam"));
        Settings.load(null, List.of("train.label-smoothing=0.1", "train.optimizer=sgn"));
        Settings.load(null, List.of("train.label-smoothing=0.1", "train.optimizer=sgn-varpro"));
    }

    @Test
    void theListingOfEveryKeyIsAConfigurationOfTheDefaults() {
        Settings listing = Settings.parse(Keys.hocon(), "the listing");
        for (Setting<?> s : Keys.all()) {
            assertEquals(s.defaultValue(), listing.get(s), s.key());
            assertTrue(Keys.hocon().contains("\n" + s.key() + " = "), s.key());
            assertTrue(!s.doc().isBlank(), s.key());
        }
    }

    @Test
    void paramNamesAreUniqueJavaIdentifiers() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Setting<?> s : Keys.all()) {
            String n = s.paramName();
            assertTrue(javax.lang.model.SourceVersion.isIdentifier(n) && Character.isLowerCase(n.charAt(0)), n);
            assertTrue(names.add(n), "two settings named " + n);
        }
        assertEquals("batchSize", Keys.BATCH_SIZE.paramName());
        assertEquals("dataShards", Keys.DATA_SHARDS.paramName());
        assertEquals("seed", Keys.SEED.paramName());
    }

    @Test
    void theReadmeKeyTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String begin = "<!-- settings table: generated by `bin/heatwave settings --markdown`; a test keeps it current -->\n";
        int a = readme.indexOf(begin);
        int b = readme.indexOf("<!-- end of settings table -->");
        assertTrue(a >= 0 && b > a, "README.md has no generated settings table");
        assertEquals(Keys.markdownTable(), readme.substring(a + begin.length(), b),
                "README.md's settings table is out of date: replace it with the output of bin/heatwave settings --markdown");
    }
}
