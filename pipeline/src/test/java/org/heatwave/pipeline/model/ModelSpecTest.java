package org.heatwave.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.heatwave.pipeline.config.ConfigurationException;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void aNetworkThatDoesNotFitTheImagesIsRefusedNamingTheBlockTheSizeAndTheSetting() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ModelSpec(8, 8, 1, new int[] {16, 32, 64}, 3, 0.5, "tanh", 10));
        assertEquals("model.widths = [16, 32, 64] does not fit 8x8 images: block 3 (width 64) would work on 2x2 images"
                + " after 2 2x2 poolings, smaller than its 3x3 stencils; use at most 2 widths for these images"
                + " (e.g. model.widths = [16, 32]) or larger images", e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> new ModelSpec(2, 5, 3, new int[] {8}, 1, 0.5, "tanh", 2));
        assertEquals("model.widths = [8] does not fit 2x5 images: block 1 (width 8) would work on 2x5 images after 0 2x2"
                + " poolings, smaller than its 3x3 stencils; images must be at least 3x3", e.getMessage());
    }

    @Test
    void theSmallestImagesThatFitAreAccepted() {
        assertDoesNotThrow(() -> new ModelSpec(12, 13, 3, new int[] {16, 32, 64}, 3, 0.5, "tanh", 10));
        assertDoesNotThrow(() -> new ModelSpec(28, 28, 1, new int[] {16, 32, 64}, 3, 0.5, "tanh", 10));
        assertThrows(ConfigurationException.class, () -> new ModelSpec(11, 28, 1, new int[] {16, 32, 64}, 3, 0.5, "tanh", 10));
    }
}
