package org.heatwave.pipeline.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.heatwave.multilevel.GridTransfer;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.tensor.Batch;
import scala.Tuple2;

/**
 * The dataset pyramid of multilevel training (seeds 002 and 003, "restrict the images n times"): level 0
 * holds the images as read, level {@code ℓ} the 2×2 averages of level {@code ℓ − 1},
 *
 * <pre>
 *   y^{ℓ}_{i,j} = ¼ (y^{ℓ−1}_{2i,2j} + y^{ℓ−1}_{2i+1,2j} + y^{ℓ−1}_{2i,2j+1} + y^{ℓ−1}_{2i+1,2j+1})
 * </pre>
 *
 * ({@link GridTransfer#average(Batch)}, the restriction {@code R}). Built once by a Spark stage
 * ({@code bin/heatwave data restrict}) and written as Parquet on any Hadoop FileSystem:
 *
 * <pre>
 *   ROOT/pyramid.json                    dataset, source, classes, counts, the size of every level
 *   ROOT/{train,test}/level=ℓ/part-*.parquet
 *       index  int     the record's position in the source split (0 … N−1)
 *       label  int     class index
 *       pixels binary  height·width float32 values, little-endian, row-major, in [0, 1]
 * </pre>
 *
 * The whole pyramid appears at {@code ROOT} in one rename, or not at all. Each image is restricted on
 * its own, so the stage's result does not depend on the partitioning: it equals the local restriction
 * bit for bit. {@link #load} reads a level back into the same cached, index-ordered blocks as
 * {@link DistributedDataset#load} reads from IDX files, so training cannot tell the two apart.
 */
public final class DatasetPyramid {
    /** The metadata file at the pyramid's root. */
    public static final String METADATA = "pyramid.json";
    /** Version of the layout above, stored in the metadata. */
    public static final int FORMAT = 1;

    private static final StructType SCHEMA = new StructType()
            .add("level", DataTypes.IntegerType, false)
            .add("index", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.BinaryType, false);

    private DatasetPyramid() {
    }

    /** One level's image size. */
    public record Level(int level, int height, int width) implements Serializable {
    }

    /**
     * What {@code pyramid.json} holds.
     *
     * @param root       the pyramid's URI
     * @param dataset    the dataset's name ({@code data.name})
     * @param source     the directory it was built from
     * @param numClasses number of classes
     * @param train      training records
     * @param test       test records
     * @param levels     level 0 (the source size) to the coarsest
     */
    public record Info(String root, String dataset, String source, int numClasses, int train, int test,
                       List<Level> levels) {
        /** @return level {@code ℓ}, with an error naming the levels there are */
        public Level level(int l) {
            if (l < 0 || l >= levels.size()) {
                throw new IllegalArgumentException(root + " has levels 0 to " + (levels.size() - 1) + ", not " + l);
            }
            return levels.get(l);
        }

        /** @return the directory of one split's level */
        public String directory(boolean trainSplit, int l) {
            level(l);
            return root + "/" + split(trainSplit) + "/level=" + l;
        }
    }

    /** The SQL session over the running Spark context (created on first use; never stopped here). */
    private static SparkSession session(JavaSparkContext jsc) {
        return SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    }

    private static String split(boolean train) {
        return train ? "train" : "test";
    }

    /**
     * The sizes of levels 0 to {@code levels} of an {@code height × width} image, each half the one before.
     *
     * @throws IllegalArgumentException if {@code levels} is negative, if some level would have fewer than
     *                                  one pixel per side (naming the most levels the image allows), or if
     *                                  a size on the way is odd (naming it)
     */
    public static List<Level> sizes(int height, int width, int levels) {
        if (levels < 0) {
            throw new IllegalArgumentException("--levels must be >= 0, got " + levels);
        }
        int most = 0;
        for (int h = height, w = width; h % 2 == 0 && w % 2 == 0; h /= 2, w /= 2) {
            most++;
        }
        if (levels > most) {
            int h = height >> most, w = width >> most;
            throw new IllegalArgumentException(String.format("%dx%d images allow at most %d level%s of 2x2 averaging"
                    + " (%dx%d after %d, which %s not divide by 2); asked for %d", height, width, most,
                    most == 1 ? "" : "s", h, w, most, h == 1 && w == 1 ? "is one pixel and does" : "does", levels));
        }
        List<Level> out = new ArrayList<>();
        for (int l = 0; l <= levels; l++) {
            out.add(new Level(l, height >> l, width >> l));
        }
        return out;
    }

    /**
     * Builds the pyramid of dataset {@code dataset} (IDX files in {@code sourceDir}) with levels 0 to
     * {@code levels} at {@code root}: a Spark job per split, executors reading their own slices, restricting
     * each image {@code levels} times and writing every level. Validates the source and the level count
     * before anything is written; refuses to replace an existing {@code root}.
     */
    public static Info build(JavaSparkContext jsc, String dataset, String sourceDir, String root, int levels,
                             int partitions) throws IOException {
        Configuration conf = jsc.hadoopConfiguration();
        DatasetFiles trainFiles = DatasetFiles.idx(sourceDir, true, conf);
        DatasetFiles testFiles = DatasetFiles.idx(sourceDir, false, conf);
        Path target = new Path(root);
        FileSystem fs = target.getFileSystem(conf);
        if (fs.exists(target)) {
            throw new org.heatwave.pipeline.io.OutputExistsException(root + " already exists; choose another --out or remove it");
        }
        int[] counts = new int[2];
        List<List<Level>> sizes = new ArrayList<>();
        SparkSession spark = session(jsc);
        AtomicFiles.writeDirectory(fs, target, (f, tmp) -> {
            for (boolean train : new boolean[] {true, false}) {
                try (DistributedDataset ds = DistributedDataset.load(jsc, train ? trainFiles : testFiles, 0, partitions, partitions,
                        "pyramid: read " + split(train))) {
                    List<Level> levelSizes = sizes(ds.height(), ds.width(), levels);
                    sizes.add(levelSizes);
                    counts[train ? 0 : 1] = ds.count();
                    JavaRDD<Row> rows = ds.blocks().flatMap(block -> restrictAll(block, levels));
                    jsc.setJobDescription("pyramid: restrict " + split(train) + " " + levels + "x and write Parquet");
                    spark.createDataFrame(rows, SCHEMA).write().partitionBy("level")
                            .parquet(new Path(tmp, split(train)).toString());
                }
            }
            if (!sizes.get(0).equals(sizes.get(1))) {
                throw new IOException("training images are " + sizes.get(0).get(0) + " but test images "
                        + sizes.get(1).get(0) + " in " + sourceDir);
            }
            AtomicFiles.writeBytes(f, new Path(tmp, METADATA), Json.PRETTY.writeValueAsBytes(
                    metadata(dataset, sourceDir, trainFiles.numClasses(), counts, sizes.get(0))));
        });
        return info(root, conf);
    }

    /**
     * Every level of every image of a block, level 0 included, as rows: the block is restricted level by level
     * up front (images stay floats), each row's bytes made only when the writer asks for it.
     */
    private static Iterator<Row> restrictAll(ImageBlock block, int levels) {
        List<Batch> pyramid = new ArrayList<>(levels + 1);
        pyramid.add(block.slice(0, block.count()));
        for (int l = 1; l <= levels; l++) {
            pyramid.add(GridTransfer.average(pyramid.get(l - 1)));
        }
        int n = block.count();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n * (levels + 1);
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int l = next / n, k = next % n;
                next++;
                Batch level = pyramid.get(l);
                int per = level.shape().h() * level.shape().w();
                ByteBuffer bytes = ByteBuffer.allocate(4 * per).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(level.data(), k * per, per);
                return RowFactory.create(l, block.first() + k, block.labels()[k], bytes.array());
            }
        };
    }

    private static ObjectNode metadata(String dataset, String source, int numClasses, int[] counts, List<Level> levels) {
        ObjectNode json = Json.object().put("format", FORMAT).put("dataset", dataset).put("source", source)
                .put("num_classes", numClasses).put("pixels", "float32 little-endian, row-major, in [0, 1]");
        json.putObject("records").put("train", counts[0]).put("test", counts[1]);
        ArrayNode ls = json.putArray("levels");
        for (Level l : levels) {
            ls.addObject().put("level", l.level()).put("height", l.height()).put("width", l.width());
        }
        return json;
    }

    /**
     * Reads {@code ROOT/pyramid.json}.
     *
     * @throws IOException naming the file and field if it is missing or malformed
     */
    public static Info info(String root, Configuration conf) throws IOException {
        Path file = new Path(root, METADATA);
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new IOException(root + " is not a dataset pyramid: it has no " + METADATA
                    + " (build one with 'bin/heatwave data restrict')");
        }
        JsonNode json;
        try (InputStream in = fs.open(file)) {
            json = Json.MAPPER.readTree(in);
        }
        if (json.path("format").asInt(-1) != FORMAT) {
            throw new IOException(file + ": format " + json.path("format") + " is not " + FORMAT);
        }
        List<Level> levels = new ArrayList<>();
        for (JsonNode l : json.path("levels")) {
            levels.add(new Level(require(l, "level", file), require(l, "height", file), require(l, "width", file)));
        }
        if (levels.isEmpty()) {
            throw new IOException(file + ": no levels");
        }
        return new Info(new Path(root).toString(), json.path("dataset").asText(), json.path("source").asText(),
                require(json, "num_classes", file), require(json.path("records"), "train", file),
                require(json.path("records"), "test", file), List.copyOf(levels));
    }

    private static int require(JsonNode node, String field, Path file) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() < 0) {
            throw new IOException(file + ": field '" + field + "' is missing or not a non-negative integer");
        }
        return v.asInt();
    }

    /** One record as read from Parquet, with the file it came from (for messages). */
    private record Record(int index, int label, byte[] pixels, String file) implements Serializable {
    }

    /**
     * Reads level {@code level} of one split into cached blocks, one per shard, in the layout of
     * {@link DistributedDataset#load} — so training cannot tell the two apart.
     *
     * @param limit the first {@code limit} records (by index) only; 0 = all
     * @throws org.apache.spark.SparkException whose cause names the Parquet file, record and field of a
     *                                         record with the wrong pixel count, a value outside [0, 1], a
     *                                         label out of range, or a missing or repeated index
     */
    public static DistributedDataset load(JavaSparkContext jsc, Info info, boolean train, int level, int limit,
                                          int shards, int partitions) {
        Level size = info.level(level);
        int total = train ? info.train() : info.test();
        int n = limit == 0 ? total : Math.min(limit, total);
        DistributedDataset.Layout layout = DistributedDataset.Layout.of(n, shards, partitions);
        String dir = info.directory(train, level);
        SparkSession spark = session(jsc);
        jsc.setJobDescription("load " + split(train) + " level " + level + " from " + dir);
        Dataset<Row> df = spark.read().parquet(dir).where(functions.col("index").lt(n))
                .select(functions.col("index"), functions.col("label"), functions.col("pixels"),
                        functions.input_file_name().as("file"));
        int h = size.height(), w = size.width(), classes = info.numClasses();
        JavaRDD<ImageBlock> blocks = df.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getInt(0), new Record(r.getInt(0), r.getInt(1), (byte[]) r.get(2), r.getString(3))))
                .partitionBy(new ShardPartitioner(layout))
                .mapPartitionsWithIndex((p, it) -> {
                    ImageBlock all = block(it, layout.firstRecord(p), layout.firstRecord(p + 1), n, h, w, classes, dir);
                    List<ImageBlock> out = new ArrayList<>();
                    for (int s = layout.firstShard(p); s < layout.firstShard(p + 1); s++) {
                        out.add(all.range(layout.shards().from(s), layout.shards().to(s)));
                    }
                    return out.iterator();
                }, true);
        return DistributedDataset.cache(jsc, blocks, layout, 1, h, w, classes, "load " + split(train) + " level " + level,
                null);
    }

    /** Records {@code [from, to)} sorted into a block, every field checked. */
    private static ImageBlock block(Iterator<Tuple2<Integer, Record>> it, int from, int to, int n, int h, int w,
                                    int classes, String dir) {
        int per = h * w;
        float[] pixels = new float[(to - from) * per];
        int[] labels = new int[to - from];
        boolean[] seen = new boolean[to - from];
        while (it.hasNext()) {
            Record r = it.next()._2();
            int k = r.index() - from;
            if (seen[k]) {
                throw new IllegalStateException(r.file() + ": record " + r.index() + " appears more than once in " + dir);
            }
            seen[k] = true;
            if (r.label() < 0 || r.label() >= classes) {
                throw new IllegalStateException(r.file() + ": record " + r.index() + ": label " + r.label()
                        + " is outside 0.." + (classes - 1));
            }
            labels[k] = r.label();
            if (r.pixels() == null || r.pixels().length != 4 * per) {
                throw new IllegalStateException(r.file() + ": record " + r.index() + ": field pixels has "
                        + (r.pixels() == null ? 0 : r.pixels().length) + " bytes, but a " + h + "x" + w
                        + " float32 image has " + 4 * per);
            }
            ByteBuffer.wrap(r.pixels()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels, k * per, per);
            for (int q = k * per; q < (k + 1) * per; q++) {
                if (!(pixels[q] >= 0f && pixels[q] <= 1f)) {
                    throw new IllegalStateException(r.file() + ": record " + r.index() + ": pixel " + (q - k * per)
                            + " is " + pixels[q] + ", outside [0, 1]");
                }
            }
        }
        for (int k = 0; k < seen.length; k++) {
            if (!seen[k]) {
                throw new IllegalStateException(dir + " lacks record " + (from + k) + " (of 0.." + (n - 1) + ")");
            }
        }
        return new ImageBlock(from, to - from, 1, h, w, pixels, labels);
    }
}
