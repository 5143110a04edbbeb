package org.heatwave.net;

import java.util.List;
import org.heatwave.block.TimeWeights;

/**
 * What kind of network {@link Network#build} makes, beyond its widths and time steps: the block type per
 * width ({@link #BLOCK_TYPES}; one entry for all widths, or one per width), how block weights vary in time
 * ({@code per-step}, {@code constant}, {@code hats(M)}), whether reversible blocks store their states, and
 * the head ({@code global-average}: global average pooling + affine classifier; {@code full}: the seeds'
 * {@code W Y_N + μ} on the whole final state).
 */
public record Architecture(List<String> blocks, String weightsInTime, boolean storeStates, String head)
        implements java.io.Serializable {
    /** The block types, as the configuration names them. */
    public static final List<String> BLOCK_TYPES = List.of("parabolic", "resnet", "antisymmetric", "hamiltonian",
            "verlet", "leapfrog", "imex", "imex-depthwise", "lean");
    /** The heads. */
    public static final List<String> HEADS = List.of("global-average", "full");
    /** The reference network: parabolic blocks, per-step weights, global average pooling. */
    public static final Architecture PARABOLIC = new Architecture(List.of("parabolic"), "per-step", false, "global-average");

    public Architecture {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("blocks: at least one block type is needed");
        }
        for (String b : blocks) {
            if (!BLOCK_TYPES.contains(b)) {
                throw new IllegalArgumentException("blocks: unknown block type '" + b + "'; known: " + BLOCK_TYPES);
            }
        }
        timeWeights(weightsInTime, 2);
        if (!HEADS.contains(head)) {
            throw new IllegalArgumentException("head: unknown head '" + head + "'; known: " + HEADS);
        }
    }

    /** The block type of width {@code i} of {@code count}. */
    public String block(int i, int count) {
        if (blocks.size() != 1 && blocks.size() != count) {
            throw new IllegalArgumentException("blocks: give one block type for all " + count + " widths or one per width, got "
                    + blocks.size());
        }
        return blocks.size() == 1 ? blocks.get(0) : blocks.get(i);
    }

    /** {@code per-step | constant | hats(M)} on {@code nt} steps. */
    public static TimeWeights timeWeights(String name, int nt) {
        if (name.equals("per-step")) {
            return TimeWeights.perStep(nt);
        }
        if (name.equals("constant")) {
            return TimeWeights.constant(nt);
        }
        if (name.matches("hats\\(\\d+\\)")) {
            return TimeWeights.hats(nt, Integer.parseInt(name.substring(5, name.length() - 1)));
        }
        throw new IllegalArgumentException("weights-in-time must be per-step, constant or hats(M), got '" + name + "'");
    }

    /** Whether this is the reference architecture (saved models then read as older heatwave versions expect). */
    public boolean isReference() {
        return equals(PARABOLIC);
    }

    @Override
    public String toString() {
        return String.join("+", blocks) + (weightsInTime.equals("per-step") ? "" : " weights " + weightsInTime)
                + (storeStates ? " (states stored)" : "") + (head.equals("global-average") ? "" : " head " + head);
    }
}
