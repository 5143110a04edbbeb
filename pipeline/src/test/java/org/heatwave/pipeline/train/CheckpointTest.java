package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.heatwave.opt.OptimizerState;
import org.heatwave.pipeline.io.Json;
import org.junit.jupiter.api.Test;

/** The checkpoint file: every number round-trips bit for bit; damage of any kind is named, never read as a checkpoint. */
class CheckpointTest {
    private static Checkpoint sample(double[] classifier) {
        ObjectNode log = Json.object().put("epochs", 3).put("last_loss", Double.NaN).put("window_loss", 0.1 + 0.2);
        OptimizerState state = new OptimizerState("lbfgs", 12, 3456, Map.of("value", Math.PI, "pairs", 1.0,
                "diagnostic.accuracy", Double.NaN), Map.of("gradient", new double[] {1e-300, -0.0, Double.MIN_VALUE}, "s0",
                new double[] {1, 2, 3}));
        return new Checkpoint(12, new double[] {0.1, -2.5e-17, 3}, classifier, state, log,
                "{\"kind\":\"train\"}\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryBit() throws IOException {
        for (double[] classifier : new double[][] {null, {4, 5}}) {
            Checkpoint c = sample(classifier);
            Checkpoint back = Checkpoint.decode(c.encode(), "x.ckpt");
            assertEquals(12, back.step());
            assertArrayEquals(c.point(), back.point(), 0);
            if (classifier == null) {
                assertNull(back.classifier());
            } else {
                assertArrayEquals(classifier, back.classifier(), 0);
            }
            assertEquals(c.optimizer().optimizer(), back.optimizer().optimizer());
            assertEquals(c.optimizer().iteration(), back.optimizer().iteration());
            assertEquals(c.optimizer().examples(), back.optimizer().examples());
            assertEquals(c.optimizer().scalars(), back.optimizer().scalars());
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.optimizer().vector("gradient")[1]));
            assertArrayEquals(c.optimizer().vector("s0"), back.optimizer().vector("s0"), 0);
            assertEquals(0.1 + 0.2, back.log().path("window_loss").asDouble());
            assertTrue(Double.isNaN(back.log().path("last_loss").asDouble()));
            assertArrayEquals(c.metrics(), back.metrics());
        }
    }

    @Test
    void damageIsNamed() {
        byte[] good = sample(null).encode();
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.decode(flipped, "a.ckpt")).getMessage()
                .equals("a.ckpt: checksum mismatch (truncated or corrupt checkpoint)"));
        IOException truncated = assertThrows(IOException.class, () -> Checkpoint.decode(Arrays.copyOf(good, good.length - 9), "b.ckpt"));
        assertTrue(truncated.getMessage().startsWith("b.ckpt: checksum mismatch"), truncated.getMessage());
        IOException other = assertThrows(IOException.class, () -> Checkpoint.decode("{\"json\": 1}".getBytes(StandardCharsets.UTF_8),
                "c.ckpt"));
        assertTrue(other.getMessage().startsWith("c.ckpt: not a heatwave checkpoint"), other.getMessage());
    }
}
