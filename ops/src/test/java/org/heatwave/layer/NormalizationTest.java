package org.heatwave.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each normalisation normalises over the group it names; batch statistics and inference agree. */
class NormalizationTest {

    @ParameterizedTest
    @EnumSource(Normalization.class)
    void groupsHaveZeroMeanAndUnitVariance(Normalization kind) {
        int h = 5, w = 4, n = 3, c = 2;
        FeatureMap z = Fixtures.normal(h, w, n, c, 7);
        for (int j = 0; j < z.data().length; j++) {
            z.data()[j] = 3 * z.data()[j] + 2 + (j % c);   // offsets and scales that differ per channel
        }
        float[] one = {1, 1};
        float[] zero = {0, 0};
        FeatureMap a = z.zerosLike();
        kind.forward(z, one, zero, a);
        int groups = kind == Normalization.INSTANCE ? n * c : kind == Normalization.LAYER ? n : c;
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        double[] count = new double[groups];
        for (int p = 0; p < h * w; p++) {
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    int g = kind == Normalization.INSTANCE ? i * c + ch : kind == Normalization.LAYER ? i : ch;
                    double v = a.data()[(p * n + i) * c + ch];
                    sum[g] += v;
                    sq[g] += v * v;
                    count[g]++;
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            assertEquals(0, sum[g] / count[g], 1e-5, kind + " group " + g + " mean");
            assertEquals(1, sq[g] / count[g], 1e-3, kind + " group " + g + " variance");
        }
    }

    @Test
    void batchNormWithItsOwnStatisticsIsTrainingModeBatchNorm() {
        FeatureMap z = Fixtures.normal(4, 6, 5, 3, 8);
        float[] gamma = {0.5f, 2f, -1f};
        float[] beta = {0.1f, 0f, -0.3f};
        FeatureMap training = z.zerosLike();
        Normalization.BATCH.forward(z, gamma, beta, training);
        FeatureMap inference = Normalization.withStatistics(z, gamma, beta, Normalization.statistics(z));
        double err = Fixtures.relativeMaxError(training.data(), inference.data());
        assertTrue(err < 1e-5, "inference with the batch's statistics differs by " + err);
        var running = new Normalization.BatchStatistics(new double[] {0, 0, 0}, new double[] {1, 1, 1})
                .update(Normalization.statistics(z), 0.1);
        assertEquals(0.1 * Normalization.statistics(z).mean()[1], running.mean()[1], 1e-12);
        assertEquals(0.9 + 0.1 * Normalization.statistics(z).variance()[2], running.variance()[2], 1e-12);
    }
}
