package org.heatwave.pipeline.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A dataset split as an RDD of {@link ImageBlock}s cached on the executors: partition {@code p} of
 * {@code P} holds records {@code [p·N/P, (p+1)·N/P)}. Each executor reads its slice from the files itself
 * (any Hadoop FileSystem), so no data travels inside tasks; the driver validates the files once before.
 */
public final class DistributedDataset implements AutoCloseable {
    private final JavaRDD<ImageBlock> blocks;
    private final int count;
    private final int height;
    private final int width;
    private final int partitions;

    private DistributedDataset(JavaRDD<ImageBlock> blocks, int count, int height, int width, int partitions) {
        this.blocks = blocks;
        this.count = count;
        this.height = height;
        this.width = width;
        this.partitions = partitions;
    }

    /**
     * Validates {@code files} on the driver, then loads the first {@code limit} records (0 = all) into
     * {@code partitions} cached partitions.
     */
    public static DistributedDataset load(JavaSparkContext jsc, DatasetFiles files, int limit, int partitions,
                                          String description) throws IOException {
        DatasetFiles.Content content = files.read(jsc.hadoopConfiguration());
        int n = limit == 0 ? content.count() : Math.min(limit, content.count());
        int p = Math.max(1, Math.min(partitions, n));
        int h = content.images().rows(), w = content.images().cols();
        List<Integer> ids = IntStream.range(0, p).boxed().collect(Collectors.toList());
        final DatasetFiles f = files;
        final int total = n, parts = p;
        JavaRDD<ImageBlock> rdd = jsc.parallelize(ids, p).mapPartitionsWithIndex((index, it) -> {
            DatasetFiles.Content c;
            try {
                c = f.read(new Configuration());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int from = (int) ((long) index * total / parts), to = (int) ((long) (index + 1) * total / parts);
            return List.of(DatasetFiles.block(c, from, to)).iterator();
        }, true);
        return cache(jsc, rdd, n, h, w, p, description);
    }

    /**
     * Caches {@code blocks} (one per partition, partition {@code p} of {@code P} holding records
     * {@code [p·N/P, (p+1)·N/P)}) on the executors and materialises them in a job named {@code description}.
     */
    static DistributedDataset cache(JavaSparkContext jsc, JavaRDD<ImageBlock> blocks, int n, int h, int w, int p,
                                    String description) {
        JavaRDD<ImageBlock> cached = blocks.persist(StorageLevel.MEMORY_ONLY());
        jsc.setJobDescription(description);
        cached.count();
        return new DistributedDataset(cached, n, h, w, p);
    }

    public JavaRDD<ImageBlock> blocks() {
        return blocks;
    }

    /** Number of records. */
    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int partitions() {
        return partitions;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
