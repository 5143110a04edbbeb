package org.heatwave.pipeline.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A run's {@code metrics.jsonl}: one JSON object per line. */
public final class MetricsFile {
    private MetricsFile() {
    }

    /**
     * Every record of {@code file}, in order.
     *
     * @throws IOException naming the file and line of a record that is not JSON
     */
    public static List<JsonNode> read(FileSystem fs, Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                try {
                    records.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new IOException(file + ": line " + n + " is not a JSON object: " + e.getMessage(), e);
                }
            }
        }
        return records;
    }
}
