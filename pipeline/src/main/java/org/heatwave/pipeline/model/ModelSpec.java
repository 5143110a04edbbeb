package org.heatwave.pipeline.model;

import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.net.Network;

/**
 * The architecture of a parabolic classification network, enough to rebuild it exactly (saved with every
 * model): input geometry, block widths, time steps per block {@code nt}, step size {@code h}, the
 * activation and the number of classes. See {@link Network#parabolic}.
 */
public record ModelSpec(int height, int width, int channels, int[] widths, int steps, double stepSize,
                        String activation, int classes) implements java.io.Serializable {

    public ModelSpec {
        widths = widths.clone();
        Activation.parse(activation);
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

    /** Builds a new network. */
    public Network build() {
        return Network.parabolic(new Geometry(height, width, channels), widths, steps, stepSize,
                Activation.parse(activation), classes);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.height == height && m.width == width && m.channels == channels
                && java.util.Arrays.equals(m.widths, widths) && m.steps == steps && m.stepSize == stepSize
                && m.activation.equals(activation) && m.classes == classes;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(height, width, channels, java.util.Arrays.hashCode(widths), steps, stepSize,
                activation, classes);
    }

    @Override
    public String toString() {
        return "parabolic " + java.util.Arrays.toString(widths) + " nt=" + steps + " h=" + stepSize + " " + activation
                + " on " + channels + "x" + height + "x" + width + " -> " + classes + " classes";
    }
}
