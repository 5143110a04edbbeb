package org.heatwave.pipeline.data;

import org.apache.spark.Partitioner;

/**
 * Sends record {@code i} (the key) to the partition that holds its shard in a {@link DistributedDataset.Layout}:
 * partition {@code p} gets the records of shards {@code [p·S/P, (p+1)·S/P)}.
 */
final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 2L;
    private final DistributedDataset.Layout layout;

    ShardPartitioner(DistributedDataset.Layout layout) {
        this.layout = layout;
    }

    @Override
    public int numPartitions() {
        return layout.partitions();
    }

    @Override
    public int getPartition(Object key) {
        int shard = layout.shards().of((Integer) key);
        // the largest p whose first shard is <= shard
        int p = (int) ((long) shard * layout.partitions() / layout.shards().count());
        while (p > 0 && layout.firstShard(p) > shard) {
            p--;
        }
        while (p + 1 < layout.partitions() && layout.firstShard(p + 1) <= shard) {
            p++;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardPartitioner r && r.layout.equals(layout);
    }

    @Override
    public int hashCode() {
        return layout.hashCode();
    }
}
