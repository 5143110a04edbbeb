package org.heatwave.pipeline.model;

import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Architecture;
import org.heatwave.net.Network;

/**
 * The architecture of a classification network, enough to rebuild it exactly (saved with every model):
 * input geometry, block widths, time steps per block {@code nt}, step size {@code h}, the activation, the
 * normalisation of the opening layer and connectors, the number of classes, and the {@link Architecture}
 * (block types, weights in time, stored states, head). See {@link Network#build}.
 */
public record ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize,
                        String activation, Normalization normalization, int classes, Architecture architecture)
        implements java.io.Serializable {

    public ModelSpec {
        widths = widths.clone();
        Activation.parse(activation);
        java.util.Objects.requireNonNull(normalization, "normalization");
        java.util.Objects.requireNonNull(architecture, "architecture");
        architecture.block(0, widths.length); // one block type, or one per width
    }

    /** The reference architecture (parabolic blocks). */
    public ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize, String activation,
                     Normalization normalization, int classes) {
        this(height, width, channels, widths, steps, stepSize, activation, normalization, classes, Architecture.PARABOLIC);
    }

    /** With instance normalisation (the reference configuration). */
    public ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize, String activation,
                     int classes) {
        this(height, width, channels, widths, steps, stepSize, activation, Normalization.INSTANCE, classes);
    }

    /** {@code instance | layer | batch}; the error names {@code field}. */
    public static Normalization parseNormalization(String name, String field) {
        for (Normalization n : Normalization.values()) {
            if (n.name().equalsIgnoreCase(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(field + " must be instance, layer or batch, got '" + name + "'");
    }

    private static final java.util.concurrent.ConcurrentMap<ModelSpec, Network> BUILT =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The network, built once per JVM and spec (its DFT plans and twiddle tables are set-up work that
     * every Spark task on an executor shares; networks are immutable and thread-safe).
     */
    public Network network() {
        return BUILT.computeIfAbsent(this, ModelSpec::build);
    }

    /** The same network for {@code height × width} images (multilevel training). */
    public ModelSpec resized(int height, int width) {
        return new ModelSpec(height, width, channels, widths, steps, stepSize, activation, normalization, classes,
                architecture);
    }

    /** Builds a new network. */
    public Network build() {
        return Network.build(new Geometry(height, width, channels), widths, steps, stepSize,
                Activation.parse(activation), Activation.RELU, normalization, architecture, classes);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.height == height && m.width == width && m.channels == channels
                && java.util.Arrays.equals(m.widths, widths) && m.steps == steps && m.stepSize == stepSize
                && m.activation.equals(activation) && m.normalization == normalization && m.classes == classes
                && m.architecture.equals(architecture);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(height, width, channels, java.util.Arrays.hashCode(widths), steps, stepSize,
                activation, normalization, classes, architecture);
    }

    @Override
    public String toString() {
        return architecture + " " + java.util.Arrays.toString(widths) + " nt=" + steps + " h=" + stepSize + " " + activation
                + (normalization == Normalization.INSTANCE ? "" : " " + normalization.name().toLowerCase(java.util.Locale.ROOT) + "-norm")
                + " on " + channels + "x" + height + "x" + width + " -> " + classes + " classes";
    }
}
