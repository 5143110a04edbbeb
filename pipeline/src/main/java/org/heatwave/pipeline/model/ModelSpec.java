package org.heatwave.pipeline.model;

import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Architecture;
import org.heatwave.net.Network;
import org.heatwave.pipeline.config.ConfigurationException;

/**
 * The architecture of a classification network, enough to rebuild it exactly (saved with every model):
 * input geometry, block widths, time steps per block {@code nt}, step size {@code h}, the activation, the
 * normalisation of the opening layer and connectors, the number of classes, the {@link Architecture}
 * (block types, weights in time, stored states, head), and what is done to the input before the first layer
 * ({@link InputStandardization}). See {@link Network#build}.
 */
public record ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize,
                        String activation, Normalization normalization, int classes, Architecture architecture,
                        InputStandardization input)
        implements java.io.Serializable {

    public ModelSpec {
        widths = widths.clone();
        Activation.parse(activation);
        java.util.Objects.requireNonNull(normalization, "normalization");
        java.util.Objects.requireNonNull(architecture, "architecture");
        java.util.Objects.requireNonNull(input, "input");
        if (!input.isNone() && input.mean().length != channels) {
            throw new IllegalArgumentException("the input standardisation has statistics of " + input.mean().length
                    + " channels, the images " + channels);
        }
        architecture.block(0, widths.length); // one block type, or one per width
        requireFits(height, width, widths);
    }

    /** The stencils of the opening layer and of every block are {@code STENCIL × STENCIL}. */
    public static final int STENCIL = 3;

    /**
     * Refuses a network whose blocks would work on images smaller than their stencils: block {@code i} (from 1)
     * runs on {@code ⌊height / 2^(i−1)⌋ × ⌊width / 2^(i−1)⌋} images (2×2 average pooling between blocks).
     *
     * @throws ConfigurationException naming the block, the size it would reach and {@code model.widths}
     */
    public static void requireFits(int height, int width, int[] widths) {
        for (int i = 0; i < widths.length; i++) {
            int h = height >> i;
            int w = width >> i;
            if (h < STENCIL || w < STENCIL) {
                int fit = 0;
                while (fit < widths.length && (height >> fit) >= STENCIL && (width >> fit) >= STENCIL) {
                    fit++;
                }
                int[] fewer = java.util.Arrays.copyOf(widths, Math.max(fit, 1));
                throw new ConfigurationException("model.widths = " + java.util.Arrays.toString(widths) + " does not fit "
                        + height + "x" + width + " images: block " + (i + 1) + " (width " + widths[i] + ") would work on "
                        + h + "x" + w + " images after " + i + " 2x2 pooling" + (i == 1 ? "" : "s") + ", smaller than its "
                        + STENCIL + "x" + STENCIL + " stencils; "
                        + (fit == 0 ? "images must be at least " + STENCIL + "x" + STENCIL
                        : "use at most " + fit + " width" + (fit == 1 ? "" : "s") + " for these images (e.g. model.widths = "
                        + java.util.Arrays.toString(fewer) + ") or larger images"));
            }
        }
    }

    /** Without input standardisation. */
    public ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize, String activation,
                     Normalization normalization, int classes, Architecture architecture) {
        this(height, width, channels, widths, steps, stepSize, activation, normalization, classes, architecture,
                InputStandardization.NONE);
    }

    /** The same network with {@code input} done to its images first. */
    public ModelSpec standardized(InputStandardization input) {
        return new ModelSpec(height, width, channels, widths, steps, stepSize, activation, normalization, classes,
                architecture, input);
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
                architecture, input);
    }

    /** Builds a new network. */
    public Network build() {
        Geometry g = new Geometry(height, width, channels);
        Network net = Network.build(g, widths, steps, stepSize, Activation.parse(activation), Activation.RELU,
                normalization, architecture, classes);
        return input.isNone() ? net : net.behind(input.layer(g));
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
                && m.architecture.equals(architecture) && m.input.equals(input);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(height, width, channels, java.util.Arrays.hashCode(widths), steps, stepSize,
                activation, normalization, classes, architecture, input);
    }

    @Override
    public String toString() {
        return architecture + " " + java.util.Arrays.toString(widths) + " nt=" + steps + " h=" + stepSize + " " + activation
                + (normalization == Normalization.INSTANCE ? "" : " " + normalization.name().toLowerCase(java.util.Locale.ROOT) + "-norm")
                + " on " + channels + "x" + height + "x" + width + (input.isNone() ? "" : " (standardised)") + " -> "
                + classes + " classes";
    }
}
