package org.heatwave.pipeline.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.net.Architecture;
import org.heatwave.pipeline.model.InputStandardization;
import org.heatwave.pipeline.model.ModelSpec;

/**
 * Saves and loads models through the Hadoop FileSystem API ({@code file:}, {@code hdfs:}, {@code s3a:}).
 *
 * <p>Format (schema version {@value #SCHEMA_VERSION}, or {@value #STANDARDIZED_SCHEMA_VERSION} for a model with
 * input standardisation, which readers of version 1 would otherwise apply without it): a directory with
 * {@code model.json} (format name, schema version, architecture, input standardisation, parameter count, SHA-256
 * of the parameter file, free-form metadata) and {@code params.bin} (the float64 parameters, big-endian, nothing
 * else). The directory is written under a
 * temporary name and renamed into place; loading checks the format, the schema version, the parameter
 * count against the architecture and the checksum, and names the file and field that is wrong.
 */
public final class ModelIO {
    public static final String FORMAT = "heatwave-model";
    public static final int SCHEMA_VERSION = 1;
    /** The schema version of models with {@code spec.input_standardization}. */
    public static final int STANDARDIZED_SCHEMA_VERSION = 2;
    public static final String META_FILE = "model.json";
    public static final String PARAMS_FILE = "params.bin";

    private ModelIO() {
    }

    /** A loaded model. */
    public record SavedModel(ModelSpec spec, double[] params, JsonNode metadata) {
    }

    /**
     * Writes {@code params} of {@code spec} to the new directory {@code dir}, atomically.
     *
     * @throws IllegalArgumentException for a wrong parameter count or a non-finite parameter (never saved)
     */
    public static void save(String dir, ModelSpec spec, double[] params, ObjectNode metadata, Configuration conf)
            throws IOException {
        int expected = spec.build().paramCount();
        if (params.length != expected) {
            throw new IllegalArgumentException("model " + spec + " has " + expected + " parameters but got " + params.length);
        }
        for (int i = 0; i < params.length; i++) {
            if (!Double.isFinite(params[i])) {
                throw new IllegalArgumentException("parameter " + i + " of the model for " + dir + " is " + params[i]
                        + ": a non-finite model is never saved");
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 * params.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (double v : params) {
                out.writeDouble(v);
            }
        }
        byte[] data = bytes.toByteArray();
        ObjectNode meta = Json.object();
        meta.put("format", FORMAT);
        meta.put("schema_version", spec.input().isNone() ? SCHEMA_VERSION : STANDARDIZED_SCHEMA_VERSION);
        meta.put("created", Instant.now().toString());
        ObjectNode s = meta.putObject("spec");
        // "parabolic" for the reference architecture (as every earlier heatwave wrote and reads); other
        // architectures say "pde-cnn", which older versions refuse instead of building the wrong network
        s.put("architecture", spec.architecture().isReference() ? "parabolic" : "pde-cnn");
        s.put("height", spec.height());
        s.put("width", spec.width());
        s.put("channels", spec.channels());
        ArrayNode widths = s.putArray("widths");
        for (int w : spec.widths()) {
            widths.add(w);
        }
        s.put("steps", spec.steps());
        s.put("step_size", spec.stepSize());
        s.put("activation", spec.activation());
        s.put("normalization", spec.normalization().name().toLowerCase(java.util.Locale.ROOT));
        s.put("classes", spec.classes());
        ArrayNode blocks = s.putArray("blocks");
        spec.architecture().blocks().forEach(blocks::add);
        s.put("weights_in_time", spec.architecture().weightsInTime());
        s.put("store_states", spec.architecture().storeStates());
        s.put("head", spec.architecture().head());
        if (!spec.input().isNone()) {
            ObjectNode standardization = s.putObject("input_standardization");
            ArrayNode mean = standardization.putArray("mean");
            ArrayNode std = standardization.putArray("std");
            for (int c = 0; c < spec.channels(); c++) {
                mean.add(spec.input().mean()[c]);
                std.add(spec.input().std()[c]);
            }
        }
        meta.put("params", params.length);
        meta.put("params_file", PARAMS_FILE);
        meta.put("params_sha256", sha256(data));
        meta.set("metadata", metadata == null ? Json.object() : metadata);
        byte[] json = Json.PRETTY.writeValueAsBytes(meta);
        Path target = new Path(dir);
        FileSystem fs = target.getFileSystem(conf);
        AtomicFiles.writeDirectory(fs, target, (f, tmp) -> {
            AtomicFiles.writeBytes(f, new Path(tmp, PARAMS_FILE), data);
            AtomicFiles.writeBytes(f, new Path(tmp, META_FILE), json);
        });
    }

    /** Reads and verifies the model in {@code dir}. */
    public static SavedModel load(String dir, Configuration conf) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf);
        Path metaPath = new Path(base, META_FILE);
        if (!fs.exists(metaPath)) {
            throw new IOException(metaPath + ": not found; " + dir + " is not a heatwave model directory");
        }
        JsonNode meta;
        try (InputStream in = fs.open(metaPath)) {
            meta = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IOException(metaPath + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(meta.path("format").asText())) {
            throw new IOException(metaPath + ": field 'format' is '" + meta.path("format").asText() + "', expected '" + FORMAT + "'");
        }
        int version = meta.path("schema_version").asInt(-1);
        if (version != SCHEMA_VERSION && version != STANDARDIZED_SCHEMA_VERSION) {
            throw new IOException(metaPath + ": field 'schema_version' is " + version + ", this heatwave reads versions "
                    + SCHEMA_VERSION + " and " + STANDARDIZED_SCHEMA_VERSION);
        }
        ModelSpec spec = parseSpec(meta.path("spec"), metaPath);
        long count = meta.path("params").asLong(-1);
        int expected = spec.build().paramCount();
        if (count != expected) {
            throw new IOException(metaPath + ": field 'params' is " + count + " but the architecture " + spec + " has " + expected);
        }
        Path paramsPath = new Path(base, meta.path("params_file").asText(PARAMS_FILE));
        long length = fs.getFileStatus(paramsPath).getLen();
        if (length != 8L * count) {
            throw new IOException(paramsPath + ": holds " + length + " bytes but " + count + " float64 parameters need " + 8L * count);
        }
        byte[] data = new byte[(int) length];
        try (DataInputStream in = new DataInputStream(fs.open(paramsPath))) {
            in.readFully(data);
        }
        String sha = sha256(data);
        if (!sha.equals(meta.path("params_sha256").asText())) {
            throw new IOException(paramsPath + ": checksum mismatch: SHA-256 is " + sha + " but " + META_FILE
                    + " field 'params_sha256' says " + meta.path("params_sha256").asText() + " (corrupt or modified file)");
        }
        double[] params = new double[(int) count];
        ByteBuffer.wrap(data).asDoubleBuffer().get(params);
        return new SavedModel(spec, params, meta.path("metadata"));
    }

    private static ModelSpec parseSpec(JsonNode s, Path where) throws IOException {
        String kind = s.path("architecture").asText();
        if (!kind.equals("parabolic") && !kind.equals("pde-cnn")) {
            throw new IOException(where + ": field 'spec.architecture' is '" + kind + "', expected 'parabolic' or 'pde-cnn'");
        }
        try {
            int[] widths = new int[s.path("widths").size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = s.path("widths").get(i).asInt();
            }
            return new ModelSpec(require(s, "height", where).asInt(), require(s, "width", where).asInt(),
                    require(s, "channels", where).asInt(), widths, require(s, "steps", where).asInt(),
                    require(s, "step_size", where).asDouble(), require(s, "activation", where).asText(),
                    // models saved before normalisation was configurable used instance normalisation
                    ModelSpec.parseNormalization(s.path("normalization").asText("instance"), "spec.normalization"),
                    require(s, "classes", where).asInt(), architecture(s), standardization(s, where));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": invalid field in 'spec': " + e.getMessage(), e);
        }
    }

    /** The architecture fields; models saved before they existed are the reference architecture. */
    private static Architecture architecture(JsonNode s) {
        if (!s.has("blocks")) {
            return Architecture.PARABOLIC;
        }
        java.util.List<String> blocks = new java.util.ArrayList<>();
        s.path("blocks").forEach(b -> blocks.add(b.asText()));
        return new Architecture(blocks, s.path("weights_in_time").asText("per-step"), s.path("store_states").asBoolean(false),
                s.path("head").asText("global-average"));
    }

    /** {@code spec.input_standardization}: per-channel mean and std arrays; none if absent. */
    private static InputStandardization standardization(JsonNode s, Path where) throws IOException {
        JsonNode n = s.get("input_standardization");
        if (n == null) {
            return InputStandardization.NONE;
        }
        double[] mean = numbers(n.path("mean"), "input_standardization.mean", where);
        double[] std = numbers(n.path("std"), "input_standardization.std", where);
        return new InputStandardization(mean, std);
    }

    private static double[] numbers(JsonNode array, String field, Path where) throws IOException {
        if (!array.isArray() || array.isEmpty()) {
            throw new IOException(where + ": field 'spec." + field + "' must be a non-empty array of numbers");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new IOException(where + ": field 'spec." + field + "[" + i + "]' is not a number");
            }
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode require(JsonNode s, String field, Path where) throws IOException {
        JsonNode v = s.get(field);
        if (v == null || v.isNull()) {
            throw new IOException(where + ": field 'spec." + field + "' is missing");
        }
        return v;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
