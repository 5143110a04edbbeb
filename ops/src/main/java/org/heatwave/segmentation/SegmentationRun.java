package org.heatwave.segmentation;

import java.util.stream.IntStream;
import org.heatwave.layer.Layer;
import org.heatwave.loss.LossResult;
import org.heatwave.loss.SoftmaxCrossEntropy;
import org.heatwave.opt.SgdMomentum;

/**
 * Trains a {@link SegmentationNetwork} on generated Q-tips with SGD and momentum, in one JVM (the batch
 * split over {@code threads} fixed chunks whose float64 gradients are summed in chunk order, so a seed
 * fixes the result), and reports per-pixel accuracy and IoU on a separate test set.
 */
public final class SegmentationRun {
    private SegmentationRun() {
    }

    /** What a run measured. */
    public record Result(String block, int params, double seconds, double pixelAccuracy, double[] iou, double meanIou,
                         double trainLoss, double[] theta) {
    }

    public static Result train(SegmentationNetwork net, String block, Qtips.Sample train, Qtips.Sample test, int epochs,
                               int batch, double learningRate, long seed, int threads) {
        double[] theta = net.init(seed);
        SgdMomentum sgd = new SgdMomentum(0.9, 1e-4, new boolean[theta.length]);
        SgdMomentum.State state = SgdMomentum.State.initial(theta.length);
        int steps = train.n() / batch;
        long total = (long) epochs * steps;
        long t0 = System.nanoTime();
        double lastLoss = Double.NaN;
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            LossResult epochLoss = LossResult.ZERO;
            for (int s = 0; s < steps; s++, step++) {
                Layer.Bound bound = net.body().bind(theta, 0);
                int from = s * batch;
                int chunk = (batch + threads - 1) / threads;
                double[][] grads = new double[threads][theta.length];
                LossResult[] parts = new LossResult[threads];
                IntStream.range(0, threads).parallel().forEach(c -> {
                    int a = from + Math.min(batch, c * chunk);
                    int b = from + Math.min(batch, (c + 1) * chunk);
                    parts[c] = a < b ? net.evaluate(bound, train, a, b, grads[c], null) : LossResult.ZERO;
                });
                LossResult r = LossResult.ZERO;
                double[] grad = new double[theta.length];
                for (int c = 0; c < threads; c++) {
                    r = r.plus(parts[c]);
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] += grads[c][i];
                    }
                }
                for (int i = 0; i < grad.length; i++) {
                    grad[i] /= r.count();
                }
                double rate = learningRate * 0.5 * (1 + Math.cos(Math.PI * step / total));
                state = sgd.step(theta, grad, state, rate);
                epochLoss = epochLoss.plus(r);
            }
            lastLoss = epochLoss.meanLoss();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] confusion = new long[net.classes() * net.classes()];
        Layer.Bound bound = net.body().bind(theta, 0);
        LossResult r = LossResult.ZERO;
        for (int from = 0; from < test.n(); from += batch) {
            r = r.plus(net.evaluate(bound, test, from, Math.min(test.n(), from + batch), null, confusion));
        }
        double[] iou = SoftmaxCrossEntropy.iou(confusion, net.classes());
        double mean = java.util.Arrays.stream(iou).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        return new Result(block, net.paramCount(), seconds, r.accuracy(), iou, mean, lastLoss, theta);
    }
}
