package org.heatwave.pipeline.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;

/**
 * How a {@link HeatwaveClassificationModel} was trained, as MLlib's training summaries give it
 * ({@code model.summary().objectiveHistory()}): the objective {@code Σ S(c, W Y_N + μ)/n + R(θ)} at every logged
 * step, the steps and data passes it was logged at, and the run's {@code summary.json} (optimiser, steps, data passes,
 * images per second, wall time) and its training curves. Kept with the model that {@code fit} returns, not saved with it (as in MLlib).
 */
public final class HeatwaveTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String summary;
    private final long[] steps;
    private final double[] dataPasses;
    private final double[] objective;
    private final double[] loss;
    private final byte[] curves;

    /**
     * @param summary the run's {@code summary.json}
     * @param metrics the run's {@code metrics.jsonl} records (its {@code "train"} records are used)
     * @param curves  the run's {@code training.png}
     */
    HeatwaveTrainingSummary(ObjectNode summary, List<JsonNode> metrics, byte[] curves) {
        this.curves = curves.clone();
        List<JsonNode> train = metrics.stream().filter(m -> m.path("kind").asText().equals("train")).toList();
        this.summary = summary.toString();
        steps = train.stream().mapToLong(m -> m.path("step").asLong()).toArray();
        dataPasses = train.stream().mapToDouble(m -> m.path("data_passes").asDouble()).toArray();
        objective = train.stream().mapToDouble(m -> m.path("objective").asDouble()).toArray();
        loss = train.stream().mapToDouble(m -> m.path("loss").asDouble()).toArray();
    }

    /** The objective (mean loss of the step's batch plus regularisers) at every logged step, in order. */
    public double[] objectiveHistory() {
        return objective.clone();
    }

    /** The mean cross-entropy over each logging window, at the same steps. */
    public double[] lossHistory() {
        return loss.clone();
    }

    /** The steps the histories were logged at ({@code log.every-steps}, and the last). */
    public long[] steps() {
        return steps.clone();
    }

    /** The data passes at the same steps. */
    public double[] dataPasses() {
        return dataPasses.clone();
    }

    /** The run's training curves (loss and accuracy against training images seen), as PNG. */
    public byte[] curvesPng() {
        return curves.clone();
    }

    /** The training curves as an image, e.g. to display in a notebook. */
    public java.awt.image.BufferedImage curves() {
        return org.heatwave.pipeline.report.Figures.image(curves);
    }

    /** Optimiser steps taken. */
    public long totalIterations() {
        return json().path("steps").asLong();
    }

    /** The run's {@code summary.json}: optimiser, steps, data passes, images per second, wall time, model. */
    public JsonNode json() {
        try {
            return org.heatwave.pipeline.io.Json.MAPPER.readTree(summary);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable summary", e);
        }
    }
}
