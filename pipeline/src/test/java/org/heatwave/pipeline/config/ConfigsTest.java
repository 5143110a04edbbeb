package org.heatwave.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.heatwave.pipeline.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** The run configurations shipped in conf/ load, and the comparison configs have the parameter counts they claim. */
class ConfigsTest {
    private static final Path CONF = Path.of("..", "conf");

    @Test
    void everyShippedConfigurationLoads() throws IOException {
        try (Stream<Path> files = Files.walk(CONF)) {
            List<Path> confs = files.filter(p -> p.toString().endsWith(".conf")).toList();
            assertTrue(confs.size() >= 14, "found " + confs);
            for (Path p : confs) {
                spec(Settings.load(p.toFile(), List.of()));
            }
        }
    }

    @Test
    void comparisonConfigsMatchTheirParameterCounts() throws IOException {
        try (Stream<Path> files = Files.list(CONF.resolve("compare"))) {
            List<Path> confs = files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            assertEquals(12, confs.size(), confs.toString());
            for (Path p : confs) {
                String name = p.getFileName().toString();
                int target = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1, name.indexOf("k."))) * 1000;
                Settings s = Settings.load(p.toFile(), List.of());
                int params = spec(s).build().paramCount();
                assertTrue(Math.abs(params - target) <= 0.12 * target, name + ": " + params + " parameters");
                assertTrue(name.startsWith(s.architecture().blocks().get(0) + "-"), name + " runs " + s.architecture());
            }
        }
    }

    @Test
    void theBestRecipeStaysWithinHalfAMillionParametersAndAugments() {
        Settings s = Settings.load(CONF.resolve("fashion-mnist-best.conf").toFile(), List.of());
        int params = spec(s).build().paramCount();
        assertTrue(params <= 500_000, "conf/fashion-mnist-best.conf: " + params + " parameters");
        assertTrue(s.get(Keys.AUGMENT_FLIP) && s.get(Keys.AUGMENT_SHIFT) > 0 && s.get(Keys.LABEL_SMOOTHING) > 0);
    }

    /** The Fashion-MNIST model of a configuration. */
    private static ModelSpec spec(Settings s) {
        return new ModelSpec(28, 28, 1, s.ints(Keys.WIDTHS), s.get(Keys.STEPS), s.get(Keys.STEP_SIZE), s.get(Keys.ACTIVATION), s.get(Keys.NORMALIZATION), 10,
                s.architecture());
    }
}
