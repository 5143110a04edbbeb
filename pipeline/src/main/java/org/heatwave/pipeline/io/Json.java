package org.heatwave.pipeline.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The project's one JSON mapper (Jackson, which Spark already carries). */
public final class Json {
    /** Compact output: one object per line where it matters (metrics.jsonl, the evaluate command). */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Indented output for files people read (summary.json, model.json). */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
