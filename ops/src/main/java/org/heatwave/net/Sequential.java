package org.heatwave.net;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.KernelSlot;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * The composition {@code F_L ∘ … ∘ F_1} of layers, itself a {@link Layer}: parameters are the layers'
 * slices laid end to end; the adjoint pass runs the layers' adjoints in reverse (backpropagation).
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private final int[] offsets;
    private final int paramCount;
    private final int[] statOffsets;
    private final int statisticsCount;

    /**
     * @throws IllegalArgumentException if a layer's input geometry is not its predecessor's output
     */
    public Sequential(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        this.offsets = new int[layers.size()];
        this.statOffsets = new int[layers.size()];
        int off = 0;
        int stats = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (i > 0 && !layers.get(i - 1).output().equals(l.input())) {
                throw new IllegalArgumentException("layer " + i + " (" + l.describe() + ") expects " + l.input()
                        + " but layer " + (i - 1) + " (" + layers.get(i - 1).describe() + ") gives " + layers.get(i - 1).output());
            }
            offsets[i] = off;
            off = Math.addExact(off, l.paramCount());
            statOffsets[i] = stats;
            stats += l.statisticsCount();
        }
        this.paramCount = off;
        this.statisticsCount = stats;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Offset of layer {@code i}'s parameters in the flat vector. */
    public int offset(int i) {
        return offsets[i];
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : " | ").append(layers.get(i).describe());
        }
        return sb.toString();
    }

    @Override
    public Geometry input() {
        return layers.get(0).input();
    }

    @Override
    public Geometry output() {
        return layers.get(layers.size() - 1).output();
    }

    @Override
    public int paramCount() {
        return paramCount;
    }

    @Override
    public void init(double[] theta, int off, SplittableRandom random) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).init(theta, off + offsets[i], random.split());
        }
    }

    @Override
    public void project(double[] theta, int off) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).project(theta, off + offsets[i]);
        }
    }

    @Override
    public void markWeightDecay(boolean[] mask, int off) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).markWeightDecay(mask, off + offsets[i]);
        }
    }

    @Override
    public void kernels(int off, java.util.List<KernelSlot> out) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).kernels(off + offsets[i], out);
        }
    }

    @Override
    public int statisticsCount() {
        return statisticsCount;
    }

    @Override
    public void absorbStatistics(double[] theta, int off, double[] stats, int sOff, double momentum) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).absorbStatistics(theta, off + offsets[i], stats, sOff + statOffsets[i], momentum);
        }
    }

    @Override
    public Bound bind(double[] theta, int off) {
        return compose(i -> layers.get(i).bind(theta, off + offsets[i]));
    }

    @Override
    public Bound bindForInference(double[] theta, int off) {
        return compose(i -> layers.get(i).bindForInference(theta, off + offsets[i]));
    }

    /** The composition of the layers bound by {@code bindLayer} (given a layer's index). */
    private Bound compose(IntFunction<Bound> bindLayer) {
        List<Bound> bound = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            bound.add(bindLayer.apply(i));
        }
        return new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                Trace[] traces = new Trace[bound.size()];
                FeatureMap x = y;
                for (int i = 0; i < bound.size(); i++) {
                    traces[i] = bound.get(i).forward(x);
                    x = traces[i].output();
                }
                return new Tr(traces);
            }

            @Override
            public FeatureMap infer(FeatureMap y) {
                FeatureMap x = y;
                for (Bound b : bound) {
                    x = b.infer(x);
                }
                return x;
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int gOff) {
                Trace[] traces = ((Tr) trace).traces();
                FeatureMap g = w;
                for (int i = bound.size() - 1; i >= 0; i--) {
                    g = bound.get(i).vjp(traces[i], g, grad, gOff + offsets[i]);
                }
                return g;
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int dOff, FeatureMap dy) {
                Trace[] traces = ((Tr) trace).traces();
                FeatureMap d = dy;
                for (int i = 0; i < bound.size(); i++) {
                    d = bound.get(i).jvp(traces[i], dTheta, dOff + offsets[i], d);
                }
                return d;
            }

            @Override
            public void accumulateStatistics(Trace trace, double[] stats, int sOff) {
                Trace[] traces = ((Tr) trace).traces();
                for (int i = 0; i < bound.size(); i++) {
                    bound.get(i).accumulateStatistics(traces[i], stats, sOff + statOffsets[i]);
                }
            }
        };
    }

    private record Tr(Trace[] traces) implements Trace {
        @Override
        public FeatureMap output() {
            return traces[traces.length - 1].output();
        }

        @Override
        public long bytes() {
            long sum = 0;
            for (Trace t : traces) {
                sum += t.bytes();
            }
            return sum;
        }
    }
}
