package org.heatwave.pipeline.registry;

import java.util.List;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.model.InputStandardization;

/**
 * What a model's training data looked like, kept in its lineage for the next retraining's {@link DataChecks}: the
 * class names and image shape, how many images of each class, and each channel's pixel mean and standard deviation.
 *
 * @param classCounts images per class, in the order of {@code classNames}
 * @param mean        per channel, pixels in [0, 1]
 * @param std         per channel
 */
public record DataProfile(List<String> classNames, int channels, int height, int width, long[] classCounts,
                          double[] mean, double[] std) {

    /** The profile of {@code train}, whose classes are named {@code classNames} (two jobs, the statistics cached). */
    public static DataProfile of(DistributedDataset train, List<String> classNames) {
        InputStandardization s = train.channelStatistics();
        long[] counts = java.util.Arrays.copyOf(train.classCounts(), classNames.size());
        return new DataProfile(List.copyOf(classNames), train.channels(), train.height(), train.width(), counts, s.mean(),
                s.std());
    }

    /** Images in all. */
    public long count() {
        long n = 0;
        for (long c : classCounts) {
            n += c;
        }
        return n;
    }

    /** {@code "1x28x28"}. */
    public String shape() {
        return channels + "x" + height + "x" + width;
    }
}
