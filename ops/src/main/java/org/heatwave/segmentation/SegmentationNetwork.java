package org.heatwave.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.block.TimeWeights;
import org.heatwave.layer.Affine;
import org.heatwave.layer.ConvNormAct;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.loss.LossResult;
import org.heatwave.loss.SoftmaxCrossEntropy;
import org.heatwave.net.Blocks;
import org.heatwave.net.Sequential;
import org.heatwave.tensor.FeatureMap;

/**
 * A network that labels every pixel (seed 003's segmentation): an opening {@code 3×3} convolution to
 * {@code width} channels (instance norm, tanh), one block of {@code nt} steps at full resolution (any
 * {@link Blocks#create} type: no pooling, so the output keeps the image size), and a per-pixel affine
 * classifier to the class scores, with the per-pixel softmax cross-entropy
 * ({@link SoftmaxCrossEntropy#evaluatePixels}).
 */
public final class SegmentationNetwork {
    private final Sequential body;
    private final int classes;

    public SegmentationNetwork(int h, int w, int width, String block, int nt, double stepSize, int classes) {
        List<Layer> layers = new ArrayList<>();
        Layer open = new ConvNormAct(new Geometry(h, w, 1), width, 3, Activation.TANH, Normalization.INSTANCE);
        layers.add(open);
        layers.add(Blocks.create(block, open.output(), nt, stepSize, Activation.TANH, TimeWeights.perStep(nt), false));
        layers.add(new Affine(open.output(), classes));
        this.body = new Sequential(layers);
        this.classes = classes;
    }

    public Sequential body() {
        return body;
    }

    public int paramCount() {
        return body.paramCount();
    }

    public double[] init(long seed) {
        double[] theta = new double[paramCount()];
        body.init(theta, 0, new SplittableRandom(seed));
        return theta;
    }

    /**
     * The summed per-pixel loss of images {@code [from, to)} of a sample; adds its gradient to
     * {@code gradOrNull} and the pixels' {@code confusion[true·classes + predicted]} to {@code confusionOrNull}.
     */
    public LossResult evaluate(Layer.Bound bound, Qtips.Sample sample, int from, int to, double[] gradOrNull,
                               long[] confusionOrNull) {
        int pixels = sample.h() * sample.w();
        int[] masks = java.util.Arrays.copyOfRange(sample.labels(), from * pixels, to * pixels);
        Layer.Trace t = bound.forward(input(sample, from, to));
        FeatureMap g = gradOrNull == null ? null : t.output().zerosLike();
        LossResult r = SoftmaxCrossEntropy.evaluatePixels(t.output(), masks, g, confusionOrNull);
        if (gradOrNull != null) {
            bound.vjp(t, g, gradOrNull, 0);
        }
        return r;
    }

    /** The predicted class of every pixel of images {@code [from, to)}, {@code [i][y][x]}. */
    public int[] predict(Layer.Bound bound, Qtips.Sample sample, int from, int to) {
        int n = to - from;
        int pixels = sample.h() * sample.w();
        FeatureMap s = bound.forward(input(sample, from, to)).output();
        int[] out = new int[n * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int i = 0; i < n; i++) {
                int b = (p * n + i) * classes;
                int arg = 0;
                for (int k = 1; k < classes; k++) {
                    if (s.data()[b + k] > s.data()[b + arg]) {
                        arg = k;
                    }
                }
                out[i * pixels + p] = arg;
            }
        }
        return out;
    }

    public int classes() {
        return classes;
    }

    /** Images {@code [from, to)} of a sample as a one-channel feature map. */
    private static FeatureMap input(Qtips.Sample sample, int from, int to) {
        int n = to - from;
        int pixels = sample.h() * sample.w();
        FeatureMap x = new FeatureMap(sample.h(), sample.w(), n, 1);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                x.data()[p * n + i] = sample.pixels()[(from + i) * pixels + p];
            }
        }
        return x;
    }
}
