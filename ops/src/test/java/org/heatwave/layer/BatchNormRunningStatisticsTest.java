package org.heatwave.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.net.Network;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Batch normalisation's running statistics: training passes report the batch moments, summed over tasks
 * they update the running averages kept in θ, and inference normalises with those — so an example's output
 * no longer depends on the batch it is evaluated in.
 */
class BatchNormRunningStatisticsTest {
    private static final Geometry IN = new Geometry(6, 5, 2);
    private static final int C = 3;

    private final ConvNormAct layer = new ConvNormAct(IN, C, 3, Activation.TANH, Normalization.BATCH);

    private double[] theta() {
        double[] theta = new double[layer.paramCount()];
        layer.init(theta, 0, new SplittableRandom(5));
        return theta;
    }

    /** The layer's pre-normalisation values {@code K y}, channel by channel, computed through an identity layer. */
    private static double[][] convolved(double[] theta, FeatureMap y) {
        ConvLayer conv = new ConvLayer(IN, C, 3, org.heatwave.conv.Boundary.PERIODIC, 1);
        FeatureMap z = conv.bind(theta, 0).forward(y).output();
        int per = z.data().length / C;
        double[][] out = new double[C][per];
        for (int j = 0; j < z.data().length; j++) {
            out[j % C][j / C] = z.data()[j];
        }
        return out;
    }

    @Test
    void statisticsSummedOverTasksGiveTheRunningAverages() {
        double[] theta = theta();
        FeatureMap all = Fixtures.normal(IN.h(), IN.w(), 6, IN.c(), 7);
        FeatureMap first = Fixtures.normal(IN.h(), IN.w(), 4, IN.c(), 8);
        FeatureMap second = Fixtures.normal(IN.h(), IN.w(), 2, IN.c(), 9);
        // two "tasks" of one step, summed as the distributed aggregator does
        double[] stats = new double[layer.statisticsCount()];
        Layer.Bound bound = layer.bind(theta, 0);
        bound.accumulateStatistics(bound.forward(first), stats, 0);
        bound.accumulateStatistics(bound.forward(second), stats, 0);
        assertEquals(2 * C + 1, stats.length);
        assertEquals(6.0 * IN.h() * IN.w(), stats[2 * C], "count of values per channel");

        double momentum = 0.25;
        double[] updated = theta.clone();
        layer.absorbStatistics(updated, 0, stats, 0, momentum);
        double[][] a = convolved(theta, first);
        double[][] b = convolved(theta, second);
        int running = layer.paramCount() - 2 * C;
        for (int ch = 0; ch < C; ch++) {
            double sum = 0;
            double sq = 0;
            int count = a[ch].length + b[ch].length;
            for (double v : a[ch]) {
                sum += v;
            }
            for (double v : b[ch]) {
                sum += v;
            }
            double mean = sum / count;
            for (double v : a[ch]) {
                sq += (v - mean) * (v - mean);
            }
            for (double v : b[ch]) {
                sq += (v - mean) * (v - mean);
            }
            double unbiased = sq / (count - 1);
            assertEquals(0.75 * 0 + 0.25 * mean, updated[running + ch], 1e-6, "running mean, channel " + ch);
            assertEquals(0.75 * 1 + 0.25 * unbiased, updated[running + C + ch], 1e-5, "running variance, channel " + ch);
        }
        // everything else in θ is untouched
        for (int i = 0; i < running; i++) {
            assertEquals(theta[i], updated[i], "parameter " + i);
        }
    }

    @Test
    void inferenceNormalisesWithTheRunningStatisticsAndIgnoresTheBatch() {
        double[] theta = theta();
        FeatureMap batch = Fixtures.normal(IN.h(), IN.w(), 5, IN.c(), 11);
        double[] stats = new double[layer.statisticsCount()];
        Layer.Bound training = layer.bind(theta, 0);
        training.accumulateStatistics(training.forward(batch), stats, 0);
        layer.absorbStatistics(theta, 0, stats, 0, 1.0);

        Layer.Bound inference = layer.bindForInference(theta, 0);
        FeatureMap together = inference.forward(batch).output();
        // example 3 alone gives the same output as inside the batch
        FeatureMap alone = inference.forward(example(batch, 3)).output();
        assertArrayEquals(example(together, 3).data(), alone.data(), 1e-6f);
        // with the batch's own (unbiased) statistics the inference map is the training map up to n/(n−1)
        double err = Fixtures.relativeMaxError(training.forward(batch).output().data(), together.data());
        assertTrue(err < 0.02, "inference with the batch's statistics differs from training by " + err);
        // and the training map does depend on the batch
        FeatureMap trainedAlone = training.forward(example(batch, 3)).output();
        assertTrue(Fixtures.relativeMaxError(example(together, 3).data(), trainedAlone.data()) > 0.1);
        assertThrows(UnsupportedOperationException.class,
                () -> inference.vjp(inference.forward(batch), together, new double[theta.length], 0));
    }

    @Test
    void aNetworkCarriesTheStatisticsOfEveryBatchNormLayer() {
        Network net = Network.parabolic(new Geometry(8, 8, 1), new int[] {3, 4}, 1, 0.5, Activation.TANH,
                Activation.RELU, Normalization.BATCH, 10);
        Network instance = Network.parabolic(new Geometry(8, 8, 1), new int[] {3, 4}, 1, 0.5, Activation.TANH, 10);
        assertEquals((2 * 3 + 1) + (2 * 4 + 1), net.statisticsCount(), "opening layer and connector");
        assertEquals(0, instance.statisticsCount());
        assertEquals(instance.paramCount() + 2 * (3 + 4), net.paramCount());
        double[] theta = net.init(3);
        boolean[] decay = net.weightDecayMask();
        double[] stats = new double[net.statisticsCount()];
        int[] labels = {1, 2, 3, 4};
        double[] grad = new double[theta.length];
        net.evaluate(net.bind(theta), org.heatwave.tensor.Batch.fromFeatureMap(Fixtures.normal(8, 8, 4, 1, 13)), labels, 0, grad,
                stats);
        double[] before = theta.clone();
        net.absorbStatistics(theta, stats, 0.5);
        int changed = 0;
        for (int i = 0; i < theta.length; i++) {
            if (theta[i] != before[i]) {
                changed++;
                assertEquals(0.0, grad[i], "running statistic " + i + " has no gradient");
                assertTrue(!decay[i], "running statistic " + i + " takes no weight decay");
            }
        }
        assertEquals(2 * (3 + 4), changed, "running means and variances updated");
        assertThrows(IllegalArgumentException.class, () -> net.absorbStatistics(theta, new double[3], 0.1));
    }

    private static FeatureMap example(FeatureMap m, int i) {
        FeatureMap out = new FeatureMap(m.h(), m.w(), 1, m.c());
        for (int p = 0; p < m.pixels(); p++) {
            System.arraycopy(m.data(), (p * m.n() + i) * m.c(), out.data(), p * m.c(), m.c());
        }
        return out;
    }
}
