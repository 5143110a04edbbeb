package org.heatwave.pipeline.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.heatwave.opt.Shards;
import org.heatwave.pipeline.io.SameJvmHandoff;
import org.heatwave.pipeline.io.SerializableConfiguration;
import org.heatwave.pipeline.model.InputStandardization;
import scala.Tuple2;

/**
 * A dataset split as an RDD of {@link ImageBlock}s cached on the executors, one block per {@link Shards
 * shard}: shard {@code s} of {@code S} holds records {@code [s·N/S, (s+1)·N/S)}, and partition {@code p} of
 * {@code P ≤ S} holds the whole shards {@code [p·S/P, (p+1)·S/P)}. Every computation on the data works
 * shard by shard, so its result depends on {@code S} but not on {@code P} (issue 14). Each executor reads its
 * records from the files itself (any Hadoop FileSystem, with the driver's Hadoop configuration), so no data
 * travels inside tasks; the driver validates the files once before (in local mode the tasks take the driver's
 * decoded content instead: {@link SameJvmHandoff}). The blocks are cached in memory and
 * spill to the executors' disks under memory pressure.
 */
public final class DistributedDataset implements AutoCloseable {
    private final JavaRDD<ImageBlock> blocks;
    private final Shards shards;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final int partitions;
    /** A broadcast the blocks are (re)computed from, released with them; null if none. */
    private final Broadcast<?> lineage;
    /** {@link #channelStatistics()}, once computed. */
    private InputStandardization statistics;

    private DistributedDataset(JavaRDD<ImageBlock> blocks, Shards shards, int channels, int height, int width, int classes,
                               int partitions, Broadcast<?> lineage) {
        this.blocks = blocks;
        this.lineage = lineage;
        this.shards = shards;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.partitions = partitions;
    }

    /**
     * The layout of {@code n} records in {@code shards} shards (at most one per record) over {@code partitions}
     * partitions (at most one per shard).
     */
    public record Layout(Shards shards, int partitions) implements java.io.Serializable {
        public static Layout of(int n, int shards, int partitions) {
            if (shards < 1 || partitions < 1) {
                throw new IllegalArgumentException("need at least one shard and one partition, got " + shards + " and " + partitions);
            }
            Shards s = new Shards(n, Math.min(shards, n));
            return new Layout(s, Math.min(partitions, s.count()));
        }

        /** First shard of partition {@code p} ({@code p = P} gives S). */
        public int firstShard(int p) {
            return shards.firstOfGroup(p, partitions);
        }

        /** First record of partition {@code p} ({@code p = P} gives N). */
        public int firstRecord(int p) {
            return shards.from(firstShard(p));
        }
    }

    /**
     * Validates {@code files} on the driver, then loads the first {@code limit} records (0 = all) in
     * {@code shards} shards into {@code partitions} cached partitions.
     */
    public static DistributedDataset load(JavaSparkContext jsc, DatasetFiles files, int limit, int shards, int partitions,
                                          String description) throws IOException {
        DatasetFiles.Content content = files.read(jsc.hadoopConfiguration());
        int n = limit == 0 ? content.count() : Math.min(limit, content.count());
        Layout layout = Layout.of(n, shards, partitions);
        int h = content.images().rows(), w = content.images().cols();
        List<Integer> ids = IntStream.range(0, layout.partitions()).boxed().collect(Collectors.toList());
        final DatasetFiles f = files;
        // broadcast, not captured: the closure is part of every later task's lineage, and a Hadoop configuration
        // serialised into each task costs milliseconds per task and step to ship and read
        final Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        // in local mode the tasks take the driver's decoded content instead of decoding the files again (≈ 1 s for
        // Fashion-MNIST's training file per partition); a task elsewhere, or recomputing a lost block later, reads them
        final String handoff = SameJvmHandoff.offer(content);
        try {
            JavaRDD<ImageBlock> rdd = jsc.parallelize(ids, layout.partitions()).mapPartitionsWithIndex((index, it) -> {
                DatasetFiles.Content c = SameJvmHandoff.<DatasetFiles.Content>find(handoff);
                if (c == null) {
                    try {
                        c = f.read(hadoop.value().value());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                List<ImageBlock> out = new ArrayList<>();
                for (int s = layout.firstShard(index); s < layout.firstShard(index + 1); s++) {
                    out.add(DatasetFiles.block(c, layout.shards().from(s), layout.shards().to(s)));
                }
                return out.iterator();
            }, true);
            return cache(jsc, rdd, layout, 1, h, w, files.numClasses(), description, hadoop);
        } finally {
            SameJvmHandoff.withdraw(handoff);
        }
    }

    /**
     * The records of {@code parts} one after the other — part 0's, then part 1's, … — in {@code shards} shards on
     * {@code partitions} cached partitions: the same blocks as one dataset holding all records in that order, since the
     * layout depends only on the total count. Ranges of the parts' cached blocks move to the partition of their new
     * shard (a block split at the new partitions' boundaries), no record is read again from its files. Every part must
     * hold images of one shape; labels stay as they are, the classes are the largest of the parts'. The parts stay
     * open (the caller closes them once this is cached).
     *
     * @throws IllegalArgumentException naming the first part whose image shape differs from part 0's
     */
    public static DistributedDataset concat(JavaSparkContext jsc, List<DistributedDataset> parts, int shards, int partitions,
                                            String description) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        DistributedDataset first = parts.get(0);
        int n = 0, classes = 0;
        JavaRDD<ImageBlock> all = null;
        for (int i = 0; i < parts.size(); i++) {
            DistributedDataset d = parts.get(i);
            if (d.channels != first.channels || d.height != first.height || d.width != first.width) {
                throw new IllegalArgumentException("part " + i + " holds " + d.channels + "x" + d.height + "x" + d.width
                        + " images, part 0 " + first.channels + "x" + first.height + "x" + first.width);
            }
            final int offset = n;
            JavaRDD<ImageBlock> moved = d.blocks.map(b -> b.numberedFrom(offset + b.first()));
            all = all == null ? moved : all.union(moved);
            n = Math.addExact(n, d.count());
            classes = Math.max(classes, d.classes);
        }
        Layout layout = Layout.of(n, shards, partitions);
        int c = first.channels, h = first.height, w = first.width;
        JavaRDD<ImageBlock> blocks = all
                .flatMapToPair(b -> pieces(b, layout).iterator())
                .partitionBy(new ShardPartitioner(layout))
                .mapPartitionsWithIndex((p, it) -> assemble(it, layout, p, c, h, w), true);
        return cache(jsc, blocks, layout, c, h, w, classes, description, null);
    }

    /** Block {@code b} cut at the partition boundaries of {@code layout}, each piece keyed by its first record. */
    private static List<Tuple2<Integer, ImageBlock>> pieces(ImageBlock b, Layout layout) {
        List<Tuple2<Integer, ImageBlock>> out = new ArrayList<>();
        int from = b.first(), end = b.first() + b.count();
        ShardPartitioner partitioner = new ShardPartitioner(layout);
        while (from < end) {
            int to = Math.min(end, layout.firstRecord(partitioner.getPartition(from) + 1));
            out.add(new Tuple2<>(from, b.range(from, to)));
            from = to;
        }
        return out;
    }

    /** Partition {@code p}'s pieces put in record order, every record exactly once, cut into its shards' blocks. */
    private static java.util.Iterator<ImageBlock> assemble(java.util.Iterator<Tuple2<Integer, ImageBlock>> it, Layout layout,
                                                           int p, int c, int h, int w) {
        int from = layout.firstRecord(p), to = layout.firstRecord(p + 1), per = c * h * w;
        float[] pixels = new float[(to - from) * per];
        int[] labels = new int[to - from];
        int covered = 0;
        while (it.hasNext()) {
            ImageBlock piece = it.next()._2();
            int at = piece.first() - from;
            System.arraycopy(piece.pixels(), 0, pixels, at * per, piece.count() * per);
            System.arraycopy(piece.labels(), 0, labels, at, piece.count());
            covered += piece.count();
        }
        if (covered != to - from) {
            throw new IllegalStateException("partition " + p + " received " + covered + " of its " + (to - from) + " records");
        }
        ImageBlock whole = new ImageBlock(from, to - from, c, h, w, pixels, labels);
        List<ImageBlock> out = new ArrayList<>();
        for (int s = layout.firstShard(p); s < layout.firstShard(p + 1); s++) {
            out.add(whole.range(layout.shards().from(s), layout.shards().to(s)));
        }
        return out.iterator();
    }

    /**
     * Caches {@code blocks} (one per shard, partition {@code p} holding the shards of {@code layout}; images of
     * {@code c × h × w}, labels in {@code 0…classes−1}) on the executors and materialises them in a job named
     * {@code description}.
     */
    static DistributedDataset cache(JavaSparkContext jsc, JavaRDD<ImageBlock> blocks, Layout layout, int c, int h, int w,
                                    int classes, String description, Broadcast<?> lineage) {
        // spilled to local disk under memory pressure rather than dropped: a lost block is read from disk, not
        // recomputed from the source at the next step
        JavaRDD<ImageBlock> cached = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        jsc.setJobDescription(description);
        cached.count();
        return new DistributedDataset(cached, layout.shards(), c, h, w, classes, layout.partitions(), lineage);
    }

    public JavaRDD<ImageBlock> blocks() {
        return blocks;
    }

    /** Number of records. */
    public int count() {
        return shards.examples();
    }

    /** How the records are split into shards, the unit every computation works in. */
    public Shards shards() {
        return shards;
    }

    /** Channels of every image. */
    public int channels() {
        return channels;
    }

    /** Number of classes: labels are {@code 0…classes−1}. */
    public int classes() {
        return classes;
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

    /**
     * The per-channel standardisation of these images ({@code model.input-standardization = per-channel}): mean and
     * standard deviation of every channel over all images, in one job the first time it is asked for. The blocks'
     * sums are added on the driver in shard order, so the statistics, like everything else, depend on the shards
     * but not on the partitions.
     */
    public synchronized InputStandardization channelStatistics() {
        if (statistics == null) {
            blocks.context().setJobDescription("per-channel statistics of " + count() + " images");
            List<Tuple2<Integer, double[]>> sums = blocks.map(b -> new Tuple2<>(b.first(), b.channelSums())).collect();
            double[] total = new double[2 * channels];
            sums.stream().sorted(java.util.Comparator.comparing(Tuple2::_1)).forEach(t -> {
                for (int i = 0; i < total.length; i++) {
                    total[i] += t._2()[i];
                }
            });
            long values = (long) count() * height * width;
            statistics = InputStandardization.ofSums(Arrays.copyOf(total, channels),
                    Arrays.copyOfRange(total, channels, 2 * channels), values);
        }
        return statistics;
    }

    /** How many records of each class {@code 0…classes−1} there are, in one job. */
    public long[] classCounts() {
        int k = classes;
        blocks.context().setJobDescription("class counts of " + count() + " images");
        return blocks.map(b -> {
            long[] c = new long[k];
            for (int label : b.labels()) {
                c[label]++;
            }
            return c;
        }).fold(new long[k], (a, b) -> {
            long[] sum = a.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            return sum;
        });
    }

    /**
     * The images as a DataFrame for prediction and evaluation: {@code source} ({@code "<what> record i"}),
     * {@code features} (the {@code c·h·w} floats of record {@code i}, channels first, as training reads them) and
     * {@code label}, read from the cached blocks (valid while this dataset is open).
     */
    public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> records(org.apache.spark.sql.SparkSession spark,
                                                                       String what) {
        int per = channels * height * width;
        JavaRDD<org.apache.spark.sql.Row> rows = blocks.flatMap(b -> {
            List<org.apache.spark.sql.Row> out = new ArrayList<>(b.count());
            for (int k = 0; k < b.count(); k++) {
                out.add(org.apache.spark.sql.RowFactory.create(what + " record " + (b.first() + k),
                        Arrays.copyOfRange(b.pixels(), k * per, (k + 1) * per), b.labels()[k]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, RECORDS);
    }

    /** The schema of {@link #records}. */
    public static final org.apache.spark.sql.types.StructType RECORDS = new org.apache.spark.sql.types.StructType()
            .add("source", org.apache.spark.sql.types.DataTypes.StringType)
            .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(
                    org.apache.spark.sql.types.DataTypes.FloatType, false))
            .add("label", org.apache.spark.sql.types.DataTypes.IntegerType);

    @Override
    public void close() {
        blocks.unpersist(false);
        if (lineage != null) {
            lineage.destroy(false);
        }
    }
}
