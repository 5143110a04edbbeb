package org.heatwave.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heatwave.pipeline.io.Json;

/** A run's metrics.jsonl records without the wall-clock fields: what must match between a resumed and an uninterrupted run. */
public final class RunRecords {
    private RunRecords() {
    }

    public static List<JsonNode> withoutTimings(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode r = (ObjectNode) Json.MAPPER.readTree(line);
            r.remove(List.of("elapsed_seconds", "images_per_second", "train_seconds", "step_seconds", "compute_seconds",
                    "broadcast_seconds", "aggregation_seconds", "scheduling_seconds", "test_seconds", "pass_end_unix_seconds"));
            out.add(r);
        }
        return out;
    }
}
