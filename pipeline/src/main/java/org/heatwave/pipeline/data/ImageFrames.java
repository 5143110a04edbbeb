package org.heatwave.pipeline.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Labelled images in a DataFrame, read into the cached, sharded blocks every computation works on
 * ({@link DistributedDataset}). The features column holds either
 * <ul>
 *   <li>Spark's image struct ({@code spark.read.format("image")}: {@code origin, height, width, nChannels, mode,
 *   data}, the bytes row-major with interleaved channels in OpenCV's BGR(A) order) — read as channels-first
 *   float32 in [0, 1]: one channel as grey, three as R, G, B, four with the alpha channel dropped; or</li>
 *   <li>an array of numbers or an ML vector of {@code C·H·W} values, channels first, used as given, with the
 *   shape {@code [C, H, W]} stated by the caller.</li>
 * </ul>
 * Records are numbered in the order the DataFrame gives them ({@code zipWithIndex}); shard {@code s} holds records
 * {@code [s·N/S, (s+1)·N/S)} as for every other source, so a result depends on that order and the shards, never
 * on how the rows were partitioned. A bad record — an image of another size or channel count, a label that is
 * not an integer in {@code 0…k−1}, a wrong value count — fails the load with an error naming its origin (the
 * image's file) or row number.
 */
public final class ImageFrames {
    private ImageFrames() {
    }

    /** How the features column holds its images, and their shape. */
    public record Input(boolean imageStruct, int channels, int height, int width) implements Serializable {
        public Input {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("an image shape needs positive channels, height and width, got "
                        + channels + "x" + height + "x" + width);
            }
        }

        /** Values per image. */
        public int size() {
            return channels * height * width;
        }

        @Override
        public String toString() {
            return (imageStruct ? "images " : "arrays of ") + channels + "x" + height + "x" + width;
        }

        /**
         * Writes the image in {@code row}'s field {@code field} into {@code out[offset …)}, channels first.
         *
         * @throws IllegalArgumentException naming {@code where} when the image does not have this shape
         */
        public void read(Row row, int field, float[] out, int offset, String where) {
            if (row.isNullAt(field)) {
                throw new IllegalArgumentException(where + ": the image is null");
            }
            if (imageStruct) {
                readImage(row.getStruct(field), out, offset, where);
            } else {
                readValues(row.get(field), out, offset, where);
            }
        }

        private void readImage(Row image, float[] out, int offset, String where) {
            int h = image.getInt(image.fieldIndex("height"));
            int w = image.getInt(image.fieldIndex("width"));
            int stored = image.getInt(image.fieldIndex("nChannels"));
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException(where + ": not a decodable image (a corrupt or truncated file, or"
                        + " not PNG/JPEG)");
            }
            if (h != height || w != width || channelsOf(stored) != channels) {
                throw new IllegalArgumentException(where + ": image is " + channelsOf(stored) + "x" + h + "x" + w
                        + " (channels x height x width), expected " + channels + "x" + height + "x" + width
                        + " like the others — resize the images to one size first");
            }
            byte[] data = (byte[]) image.get(image.fieldIndex("data"));
            if (data == null || data.length != h * w * stored) {
                throw new IllegalArgumentException(where + ": image data has " + (data == null ? 0 : data.length)
                        + " bytes, " + h + "x" + w + " with " + stored + " channels needs " + h * w * stored);
            }
            int plane = h * w;
            for (int c = 0; c < channels; c++) {
                // OpenCV order: B, G, R(, A) — R, G, B channels first here
                int source = channels == 3 ? 2 - c : c;
                for (int p = 0; p < plane; p++) {
                    out[offset + c * plane + p] = (data[p * stored + source] & 0xff) / 255f;
                }
            }
        }

        private void readValues(Object value, float[] out, int offset, String where) {
            int n = size();
            if (value instanceof float[] a) {
                requireCount(a.length, where);
                System.arraycopy(a, 0, out, offset, n);
                return;
            }
            if (value instanceof Vector v) {
                requireCount(v.size(), where);
                for (int i = 0; i < n; i++) {
                    out[offset + i] = (float) v.apply(i);
                }
                return;
            }
            List<?> values = value instanceof scala.collection.Seq<?> seq
                    ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (List<?>) value;
            requireCount(values.size(), where);
            for (int i = 0; i < n; i++) {
                Object x = values.get(i);
                if (x == null) {
                    throw new IllegalArgumentException(where + ": value " + i + " of the image is null");
                }
                out[offset + i] = ((Number) x).floatValue();
            }
        }

        private void requireCount(int count, String where) {
            if (count != size()) {
                throw new IllegalArgumentException(where + ": the image has " + count + " values, a " + channels + "x"
                        + height + "x" + width + " image (imageShape) has " + size());
            }
        }

        private static int channelsOf(int stored) {
            return stored == 4 ? 3 : stored;
        }
    }

    /**
     * What a model directory records of the data it was trained on ({@code class_names}, {@code input}: whether image
     * files or numbers, channels, height, width), so that prediction applies the same reading.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode describe(List<String> classNames, Input input) {
        com.fasterxml.jackson.databind.node.ObjectNode metadata = org.heatwave.pipeline.io.Json.object();
        com.fasterxml.jackson.databind.node.ArrayNode names = metadata.putArray("class_names");
        classNames.forEach(names::add);
        metadata.putObject("input").put("image_struct", input.imageStruct()).put("channels", input.channels())
                .put("height", input.height()).put("width", input.width());
        return metadata;
    }

    /**
     * How {@code col} of {@code df} holds images: an image struct (shape from its first row) or numbers with the
     * shape {@code imageShape} ({@code [C, H, W]}; required for arrays and vectors, checked against an image
     * struct's first row if given).
     *
     * @throws IllegalArgumentException naming the column when it holds neither, or when a shape is missing
     */
    public static Input input(Dataset<Row> df, String col, int[] imageShape) {
        StructField field = field(df.schema(), col);
        DataType type = field.dataType();
        if (type instanceof StructType s && List.of(s.fieldNames()).containsAll(List.of("height", "width", "nChannels", "data"))) {
            List<Row> firsts = df.where(functions.col(col).isNotNull().and(functions.col(col + ".height").gt(0)))
                    .select(functions.col(col + ".height"), functions.col(col + ".width"), functions.col(col + ".nChannels"))
                    .takeAsList(1);
            if (firsts.isEmpty()) {
                throw new IllegalArgumentException("column " + col + " has no images");
            }
            Row first = firsts.get(0);
            int stored = first.getInt(2);
            if (stored != 1 && stored != 3 && stored != 4) {
                throw new IllegalArgumentException("column " + col + ": images with " + stored + " channels; 1 (grey), 3 (colour)"
                        + " or 4 (colour with alpha, dropped) are supported");
            }
            Input in = new Input(true, Input.channelsOf(stored), first.getInt(0), first.getInt(1));
            if (imageShape != null && imageShape.length > 0
                    && !java.util.Arrays.equals(imageShape, new int[] {in.channels(), in.height(), in.width()})) {
                throw new IllegalArgumentException("imageShape " + java.util.Arrays.toString(imageShape) + " but column " + col
                        + " holds " + in);
            }
            return in;
        }
        boolean numbers = type instanceof VectorUDT
                || type instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!numbers) {
            throw new IllegalArgumentException("column " + col + " is " + type.simpleString() + "; expected Spark's image struct"
                    + " (spark.read.format(\"image\")), an array of numbers or an ML vector");
        }
        if (imageShape == null || imageShape.length != 3) {
            throw new IllegalArgumentException("column " + col + " holds " + type.simpleString() + ": set imageShape to its"
                    + " [channels, height, width]");
        }
        return new Input(false, imageShape[0], imageShape[1], imageShape[2]);
    }

    /** The field {@code col} of {@code schema}, or an error listing the columns there are. */
    public static StructField field(StructType schema, String col) {
        if (!List.of(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException("no column " + col + " in the DataFrame; it has " + String.join(", ",
                    schema.fieldNames()));
        }
        return schema.apply(col);
    }

    /** That {@code col} holds numbers (a label column). */
    public static void requireNumeric(StructType schema, String col) {
        DataType t = field(schema, col).dataType();
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException("label column " + col + " is " + t.simpleString() + "; expected class indices"
                    + " 0…k−1 (e.g. StringIndexer's output)");
        }
    }

    /** One labelled image on its way to its shard. */
    private record Labelled(int label, float[] pixels) implements Serializable {
    }

    /**
     * Loads the images of {@code featuresCol} labelled by {@code labelCol} ({@code 0…classes−1}) into
     * {@code shards} shards on {@code partitions} cached partitions, numbering the rows in the order the DataFrame
     * gives them. The selected columns are kept on the executors while they are numbered and sharded, so the
     * DataFrame (e.g. decoding its image files) is computed once.
     *
     * @throws org.apache.spark.SparkException whose cause names the row or file of a bad record
     */
    public static DistributedDataset load(JavaSparkContext jsc, Dataset<Row> df, String featuresCol, String labelCol,
                                          Input input, int classes, int shards, int partitions) {
        Dataset<Row> rows = originOf(df.select(functions.col(featuresCol), functions.col(labelCol)), featuresCol, input);
        JavaRDD<Row> kept = rows.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            jsc.setJobDescription("number the rows of " + featuresCol);
            JavaPairRDD<Integer, Row> numbered = kept.zipWithIndex().mapToPair(t -> new Tuple2<>(index(t._2()), t._1()));
            return shard(jsc, numbered, kept.count(), featuresCol, input, classes, shards, partitions);
        } finally {
            kept.unpersist(false);
        }
    }

    /**
     * As {@link #load} for a DataFrame whose column {@code indexCol} numbers its {@code count} rows {@code 0…count−1}
     * already (each exactly once): no numbering pass.
     */
    public static DistributedDataset loadIndexed(JavaSparkContext jsc, Dataset<Row> df, String indexCol, long count,
                                                 String featuresCol, String labelCol, Input input, int classes, int shards,
                                                 int partitions) {
        Dataset<Row> rows = df.select(functions.col(featuresCol), functions.col(labelCol), origin(featuresCol, input),
                functions.col(indexCol));
        JavaPairRDD<Integer, Row> numbered = rows.javaRDD().mapToPair(r -> new Tuple2<>(index(r.getLong(3)), r));
        return shard(jsc, numbered, count, featuresCol, input, classes, shards, partitions);
    }

    private static int index(long i) {
        if (i > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " rows");
        }
        return (int) i;
    }

    /**
     * Shards numbered rows of {@code (pixels, label, origin)} — {@code pixels} a {@code float[]} in the shape of
     * {@code input}, {@code origin} a name for messages or null — as every source is sharded.
     */
    static DistributedDataset shardRows(JavaSparkContext jsc, JavaPairRDD<Integer, Row> numbered, long count,
                                        String description, Input input, int classes, int shards, int partitions) {
        return shard(jsc, numbered, count, description, input, classes, shards, partitions);
    }

    private static DistributedDataset shard(JavaSparkContext jsc, JavaPairRDD<Integer, Row> numbered, long count,
                                            String featuresCol, Input input, int classes, int shards, int partitions) {
        if (count == 0) {
            throw new IllegalArgumentException("the DataFrame has no rows to train on");
        }
        DistributedDataset.Layout layout = DistributedDataset.Layout.of(index(count), shards, partitions);
        JavaRDD<ImageBlock> blocks = numbered
                .mapToPair(t -> new Tuple2<>(t._1(), labelled(t._2(), t._1(), input, classes)))
                .partitionBy(new ShardPartitioner(layout))
                .mapPartitionsWithIndex((p, it) -> blocksOf(it, layout, p, input), true);
        return DistributedDataset.cache(jsc, blocks, layout, input.channels(), input.height(), input.width(), classes,
                "load " + featuresCol, null);
    }

    /** The rows with a third column naming each record in messages: the image's file, or null. */
    private static Dataset<Row> originOf(Dataset<Row> rows, String featuresCol, Input input) {
        return rows.withColumn("__origin", origin(featuresCol, input));
    }

    private static org.apache.spark.sql.Column origin(String featuresCol, Input input) {
        return input.imageStruct() ? functions.col(featuresCol + ".origin") : functions.lit(null).cast(DataTypes.StringType);
    }

    private static Labelled labelled(Row row, long index, Input input, int classes) {
        String where = row.isNullAt(2) ? "row " + index : row.getString(2);
        float[] pixels = new float[input.size()];
        input.read(row, 0, pixels, 0, where);
        return new Labelled(label(row, 1, classes, where), pixels);
    }

    /** The class index in {@code row}'s field {@code field}: an integer in {@code 0…classes−1}. */
    public static int label(Row row, int field, int classes, String where) {
        if (row.isNullAt(field)) {
            throw new IllegalArgumentException(where + ": the label is null");
        }
        double v = ((Number) row.get(field)).doubleValue();
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException(where + ": label " + v + " is not an integer class index");
        }
        if (v < 0 || v >= classes) {
            throw new IllegalArgumentException(where + ": label " + (long) v + " is outside 0.." + (classes - 1));
        }
        return (int) v;
    }

    private static Iterator<ImageBlock> blocksOf(Iterator<Tuple2<Integer, Labelled>> it, DistributedDataset.Layout layout,
                                                 int p, Input input) {
        int from = layout.firstRecord(p);
        int to = layout.firstRecord(p + 1);
        int per = input.size();
        float[] pixels = new float[(to - from) * per];
        int[] labels = new int[to - from];
        boolean[] seen = new boolean[to - from];
        while (it.hasNext()) {
            Tuple2<Integer, Labelled> r = it.next();
            int k = r._1() - from;
            if (seen[k]) {
                throw new IllegalStateException("record " + r._1() + " appears twice");
            }
            seen[k] = true;
            labels[k] = r._2().label();
            System.arraycopy(r._2().pixels(), 0, pixels, k * per, per);
        }
        for (int k = 0; k < seen.length; k++) {
            if (!seen[k]) {
                throw new IllegalStateException("record " + (from + k) + " is missing: a file listed was not read");
            }
        }
        ImageBlock all = new ImageBlock(from, to - from, input.channels(), input.height(), input.width(), pixels, labels);
        List<ImageBlock> out = new ArrayList<>();
        for (int s = layout.firstShard(p); s < layout.firstShard(p + 1); s++) {
            out.add(all.range(layout.shards().from(s), layout.shards().to(s)));
        }
        return out.iterator();
    }
}
