package org.heatwave.pipeline.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.heatwave.datasets.LabeledImages;

/**
 * Class folders of PNG or JPEG images ({@code data.format = image-folder}): {@code DIR/train/<class>/<file>} and
 * {@code DIR/test/<class>/<file>}, on any Hadoop FileSystem, read with Spark's image source. The classes are the
 * folders of {@code train/}, sorted by name (the class index is the position); every class folder must hold at
 * least one image, and {@code test/} may not have a class that {@code train/} lacks. Records are ordered by file
 * name, then class folder, so files named by their position in a source (as {@link #write} names them)
 * reproduce that source's order — and its results, bit for bit.
 */
public final class ImageFolders {
    /** The column of Spark's image struct in {@link #read}. */
    public static final String IMAGE = "image";
    /** The column of class indices in {@link #read}. */
    public static final String LABEL = "label";

    private ImageFolders() {
    }

    /** The split's directory: {@code DIR/train} or {@code DIR/test}. */
    public static Path split(String dir, boolean train) {
        return new Path(dir, train ? "train" : "test");
    }

    /**
     * The class names: the folders of {@code DIR/train}, sorted.
     *
     * @throws IOException naming the directory that is missing, has no class folders, or a class folder
     *                     without files; or a class of {@code test/} that {@code train/} lacks
     */
    public static List<String> classes(String dir, Configuration conf) throws IOException {
        Path train = split(dir, true);
        FileSystem fs = train.getFileSystem(conf);
        List<String> names = folders(fs, train);
        if (names.isEmpty()) {
            throw new IOException(train + " has no class folders (expected " + train + "/<class>/<image>.png)");
        }
        for (String name : names) {
            requireImages(fs, new Path(train, name));
        }
        Path test = split(dir, false);
        if (fs.exists(test)) {
            for (String name : folders(fs, test)) {
                if (!names.contains(name)) {
                    throw new IOException(new Path(test, name) + ": class " + name + " is not among the training classes "
                            + names);
                }
                requireImages(fs, new Path(test, name));
            }
        }
        return names;
    }

    /**
     * That every class folder of {@code DIR/<split>} is one of {@code classes} (a model's), naming the first that is
     * not.
     */
    public static void requireKnownClasses(String dir, boolean train, List<String> classes, Configuration conf)
            throws IOException {
        Path split = split(dir, train);
        for (String name : folders(split.getFileSystem(conf), split)) {
            if (!classes.contains(name)) {
                throw new IOException(new Path(split, name) + ": class " + name + " is not one of the model's classes "
                        + classes);
            }
        }
    }

    private static List<String> folders(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            throw new java.io.FileNotFoundException(dir + " does not exist (data.format = image-folder expects DIR/train/<class>/"
                    + " and DIR/test/<class>/)");
        }
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory() && !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_")) {
                names.add(s.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    private static void requireImages(FileSystem fs, Path classDir) throws IOException {
        // stops at the first file: the folders are listed in full once, by read
        var files = fs.listStatusIterator(classDir);
        while (files.hasNext()) {
            FileStatus s = files.next();
            if (s.isFile() && !s.getPath().getName().startsWith(".")) {
                return;
            }
        }
        throw new IOException(classDir + ": the class folder is empty");
    }

    /** One split: its images in record order, and how many there are. */
    public record Split(Dataset<Row> rows, long count) {
    }

    /**
     * The images of one split as a DataFrame of {@link #IMAGE} (Spark's image struct; an undecodable file is kept
     * with height −1, for {@link ImageFrames} to name), {@link #LABEL} (the class folder's index in
     * {@code classes}) and {@link #INDEX} (the record's position: files ordered by name, then class folder). The
     * order comes from listing the folders, so the images are decoded once, when the split is loaded.
     *
     * @param limit the first {@code limit} records only (0 = all)
     */
    public static Split read(SparkSession spark, String dir, boolean train, List<String> classes, int limit)
            throws IOException {
        Path split = split(dir, train);
        FileSystem fs = split.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String[]> files = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path folder = new Path(split, classes.get(c));
            if (!fs.exists(folder)) {
                continue;
            }
            for (FileStatus f : fs.listStatus(folder)) {
                String name = f.getPath().getName();
                if (f.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
                    files.add(new String[] {name, classes.get(c), String.valueOf(c)});
                }
            }
        }
        files.sort(java.util.Comparator.<String[], String>comparing(f -> f[0]).thenComparing(f -> f[1]));
        int n = limit == 0 ? files.size() : Math.min(limit, files.size());
        List<Row> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String[] f = files.get(i);
            order.add(RowFactory.create(f[1] + "/" + f[0], Integer.parseInt(f[2]), (long) i));
        }
        StructType schema = new StructType().add("key", DataTypes.StringType).add(LABEL, DataTypes.IntegerType)
                .add(INDEX, DataTypes.LongType);
        Dataset<Row> images = spark.read().format("image").option("dropInvalid", false)
                .load(n == files.size() ? new String[] {split + "/*/*"} : files.subList(0, n).stream()
                        .map(f -> new Path(new Path(split, f[1]), f[0]).toString()).toArray(String[]::new))
                .withColumn("key", KEY.apply(functions.col(IMAGE + ".origin")));
        Dataset<Row> rows = images.join(functions.broadcast(spark.createDataFrame(order, schema)), "key")
                .select(IMAGE, LABEL, INDEX);
        return new Split(rows, n);
    }

    /** The column of record positions in {@link #read}. */
    public static final String INDEX = "index";

    /** {@code …/<folder>/<file>} → {@code <folder>/<file>}, the names decoded as Hadoop decodes them in a listing. */
    private static final UserDefinedFunction KEY = functions.udf((UDF1<String, String>) origin -> {
        Path p = new Path(new java.net.URI(origin));
        return p.getParent().getName() + "/" + p.getName();
    }, DataTypes.StringType);

    /**
     * Exports the IDX files in {@code idxDir} as class folders in the new directory {@code out}: written under a
     * temporary name beside it and renamed when complete.
     *
     * @return the numbers of training and test images written
     * @throws org.heatwave.pipeline.io.OutputExistsException if {@code out} exists
     */
    public static int[] export(String idxDir, String out, List<String> classNames, Configuration conf) throws IOException {
        Path target = new Path(out);
        FileSystem fs = target.getFileSystem(conf);
        if (fs.exists(target)) {
            throw new org.heatwave.pipeline.io.OutputExistsException(out + " exists; export into a new directory");
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + java.util.UUID.randomUUID());
        int[] counts = new int[2];
        try {
            for (boolean train : new boolean[] {true, false}) {
                DatasetFiles files = DatasetFiles.idx(idxDir, train, conf);
                DatasetFiles.Content c = files.read(conf);
                write(new LabeledImages(files.images(), c.images().rows(), c.images().cols(), files.numClasses(),
                        c.images().toFloats(c.count()), c.labels()), classNames, tmp.toString(), train, conf);
                counts[train ? 0 : 1] = c.count();
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            fs.delete(tmp, true);
        }
        return counts;
    }

    /**
     * Writes {@code images} as greyscale PNGs into {@code DIR/<split>/<class>/<index>.png}: the class folder named
     * by the label, zero-padded, and the class name ({@code 0-t-shirt-top}), so that the folders sort in label
     * order; the file named by the record's position, zero-padded, so that the files sort in the source's order.
     */
    public static void write(LabeledImages images, List<String> classNames, String dir, boolean train, Configuration conf)
            throws IOException {
        Path split = split(dir, train);
        FileSystem fs = split.getFileSystem(conf);
        int digits = String.valueOf(images.count() - 1).length();
        int classDigits = String.valueOf(classNames.size() - 1).length();
        int h = images.height(), w = images.width();
        float[] px = images.pixels();
        ImageIO.setUseCache(false); // encode in memory, not through a temporary file per image
        java.util.stream.IntStream.range(0, images.count()).parallel().forEach(i -> {
            int label = images.labels()[i];
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] raster = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int p = 0; p < h * w; p++) {
                raster[p] = (byte) Math.round(px[i * h * w + p] * 255f);
            }
            Path file = new Path(new Path(split, folderName(label, classNames.get(label), classDigits)),
                    String.format(Locale.ROOT, "%0" + digits + "d.png", i));
            try {
                java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
                if (!ImageIO.write(image, "png", png)) {
                    throw new IOException("no PNG writer in this JVM");
                }
                writeNew(fs, file, png.toByteArray());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Writes a new file. On the local FileSystem directly: without its native library, Hadoop's local FileSystem
     * forks {@code chmod} for every file it creates (and its checksum file), about 70 files a second here — an
     * export of 70,000 images would take 20 minutes instead of one.
     */
    private static void writeNew(FileSystem fs, Path file, byte[] bytes) throws IOException {
        if (fs instanceof LocalFileSystem local) {
            java.nio.file.Path target = local.pathToFile(file).toPath();
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.write(target, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
            return;
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(bytes);
        }
    }

    /** {@code 3}, {@code "Dress"} → {@code 3-dress}: the label first, so that folders sort in label order. */
    static String folderName(int label, String name, int digits) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return String.format(Locale.ROOT, "%0" + digits + "d-%s", label, slug);
    }
}
