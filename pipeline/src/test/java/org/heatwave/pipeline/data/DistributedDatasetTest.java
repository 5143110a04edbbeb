package org.heatwave.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.train.SparkContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading IDX files onto the executors: read once in local mode, and the same blocks whoever reads them. */
class DistributedDatasetTest {

    @Test
    void localTasksTakeTheDriversReadAndARecomputedBlockIsTheSame(@TempDir Path tmp) throws Exception {
        Path data = TinyDataset.write(tmp, 200, 16, 8, 3);
        long files = Files.size(data.resolve("train-images-idx3-ubyte.gz")) + Files.size(data.resolve("train-labels-idx1-ubyte.gz"));
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2]")) {
            DatasetFiles idx = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            long before = localBytesRead();
            try (DistributedDataset ds = DistributedDataset.load(jsc, idx, 0, 4, 2, "load")) {
                long read = localBytesRead() - before;
                // the driver reads the two files to check them; its 2 partitions' tasks read nothing more
                assertTrue(read >= files && read < 2 * files, "bytes read " + read + " for files of " + files);
                List<ImageBlock> cached = ds.blocks().collect();
                ds.blocks().unpersist(true);
                long again = localBytesRead();
                // recomputed after the load: the tasks read the files themselves, and make the same blocks
                List<ImageBlock> recomputed = ds.blocks().collect();
                assertTrue(localBytesRead() - again >= files, "the recomputation read no files");
                assertEquals(cached.size(), recomputed.size());
                for (int b = 0; b < cached.size(); b++) {
                    assertEquals(cached.get(b).first(), recomputed.get(b).first());
                    assertArrayEquals(cached.get(b).pixels(), recomputed.get(b).pixels());
                    assertArrayEquals(cached.get(b).labels(), recomputed.get(b).labels());
                }
            }
        }
    }

    private static long localBytesRead() {
        return FileSystem.getAllStatistics().stream().filter(s -> s.getScheme().equals("file"))
                .mapToLong(FileSystem.Statistics::getBytesRead).sum();
    }
}
