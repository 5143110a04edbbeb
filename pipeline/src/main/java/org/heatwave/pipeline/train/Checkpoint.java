package org.heatwave.pipeline.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heatwave.opt.OptimizerState;
import org.heatwave.pipeline.io.Json;

/**
 * Everything a training run needs to continue exactly where it stopped (issue 14): the optimiser's point
 * and {@link OptimizerState}, variable projection's classifier (the warm start of its next inner solve),
 * the training log's counters and curves, and the bytes of {@code metrics.jsonl} written so far. The
 * examples each later step visits follow from the step count and the seed; the learning rate from the
 * step count.
 *
 * <p>File format ({@link #encode}): {@code "HWCKPT"}, a format version byte, a JSON header (its length as
 * a 4-byte int first: step, optimiser, the names and lengths of the numbers that follow, the log's state),
 * the float64 numbers (big-endian: scalars, then vectors, in header order), the metrics bytes, and the
 * SHA-256 of everything before it. {@link #decode} checks all of it and names what is wrong.
 *
 * @param step       iterations completed
 * @param point      the optimiser's point: θ, or θ_f for variable projection
 * @param classifier variable projection's classifier {@code (W, μ)} of its last inner solve; null otherwise
 * @param optimizer  the optimiser's state after {@code step}
 * @param log        the training log's state ({@link TrainingLog#state})
 * @param metrics    metrics.jsonl as written up to this checkpoint
 */
record Checkpoint(long step, double[] point, double[] classifier, OptimizerState optimizer, ObjectNode log, byte[] metrics) {
    private static final byte[] MAGIC = "HWCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int DIGEST_BYTES = 32;

    /** The checkpoint as bytes, checksum last. */
    byte[] encode() {
        Map<String, double[]> vectors = new LinkedHashMap<>();
        vectors.put("point", point);
        if (classifier != null) {
            vectors.put("classifier", classifier);
        }
        optimizer.vectors().forEach((k, v) -> vectors.put("optimizer." + k, v));
        ObjectNode header = Json.object();
        header.put("step", step).put("optimizer", optimizer.optimizer()).put("iteration", optimizer.iteration())
                .put("examples", optimizer.examples()).put("metrics_bytes", metrics.length);
        ArrayNode scalarNames = header.putArray("scalars");
        optimizer.scalars().keySet().forEach(scalarNames::add);
        ArrayNode vectorHeader = header.putArray("vectors");
        vectors.forEach((k, v) -> vectorHeader.addObject().put("name", k).put("length", v.length));
        header.set("log", log);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeByte(VERSION);
            byte[] h = Json.MAPPER.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
            for (double s : optimizer.scalars().values()) {
                out.writeDouble(s);
            }
            for (double[] v : vectors.values()) {
                for (double d : v) {
                    out.writeDouble(d);
                }
            }
            out.write(metrics);
            out.flush();
            out.write(sha256(bytes.toByteArray(), bytes.size()));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
    }

    /**
     * Reads a checkpoint written by {@link #encode}.
     *
     * @param where the file's name, for messages
     * @throws IOException naming {@code where} and what is wrong: not a checkpoint, another format version,
     *                     truncated, or a checksum that does not match
     */
    static Checkpoint decode(byte[] bytes, String where) throws IOException {
        if (bytes.length < MAGIC.length + 1 + 4 + DIGEST_BYTES || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException(where + ": not a heatwave checkpoint (" + bytes.length + " bytes, no HWCKPT header)");
        }
        int body = bytes.length - DIGEST_BYTES;
        if (!Arrays.equals(sha256(bytes, body), Arrays.copyOfRange(bytes, body, bytes.length))) {
            throw new IOException(where + ": checksum mismatch (truncated or corrupt checkpoint)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, body));
        in.skipNBytes(MAGIC.length);
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException(where + ": checkpoint format version " + version + ", this heatwave reads " + VERSION);
        }
        JsonNode header = Json.MAPPER.readTree(in.readNBytes(in.readInt()));
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (JsonNode name : header.path("scalars")) {
            scalars.put(name.asText(), in.readDouble());
        }
        Map<String, double[]> vectors = new LinkedHashMap<>();
        for (JsonNode v : header.path("vectors")) {
            double[] d = new double[v.path("length").asInt()];
            for (int i = 0; i < d.length; i++) {
                d[i] = in.readDouble();
            }
            vectors.put(v.path("name").asText(), d);
        }
        byte[] metrics = in.readNBytes(header.path("metrics_bytes").asInt());
        if (in.available() != 0 || metrics.length != header.path("metrics_bytes").asInt() || !vectors.containsKey("point")) {
            throw new IOException(where + ": checkpoint contents do not match its header");
        }
        Map<String, double[]> optimizerVectors = new LinkedHashMap<>();
        vectors.forEach((k, v) -> {
            if (k.startsWith("optimizer.")) {
                optimizerVectors.put(k.substring("optimizer.".length()), v);
            }
        });
        OptimizerState state = new OptimizerState(header.path("optimizer").asText(), header.path("iteration").asLong(),
                header.path("examples").asLong(), scalars, optimizerVectors);
        return new Checkpoint(header.path("step").asLong(), vectors.get("point"), vectors.get("classifier"), state,
                (ObjectNode) header.path("log"), metrics);
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
