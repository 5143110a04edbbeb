package org.heatwave.pipeline.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.datasets.DatasetCache;
import org.heatwave.datasets.FashionMnist;
import org.heatwave.datasets.IdxFile;
import org.heatwave.datasets.MnistDigits;
import org.heatwave.datasets.IdxReader;

/**
 * The pair of IDX files (images, labels) of one split of a dataset, on any Hadoop FileSystem, read
 * through {@link IdxReader} (which validates everything before use). Serializable, so executors read
 * their own slices: data never travels inside Spark tasks.
 *
 * @param images     URI of the image file
 * @param labels     URI of the label file
 * @param numClasses number of classes (labels outside {@code 0 … numClasses−1} are refused)
 */
public record DatasetFiles(String images, String labels, int numClasses) implements Serializable {

    /** What a full read returns: images as unsigned bytes, labels as ints. */
    public record Content(IdxReader.Images images, int[] labels) {
        public int count() {
            return labels.length;
        }
    }

    /** The datasets {@code data.name} may name. */
    public static final List<String> NAMES = List.of(FashionMnist.NAME, MnistDigits.NAME);

    /**
     * The directory of dataset {@code name} to read: {@code path} if not empty (any FileSystem URI), else
     * found automatically — Fashion-MNIST in the installed Debian package or the heatwave cache, the MNIST
     * digits in the cache — and fetched into the cache if missing.
     *
     * @throws IllegalArgumentException naming the supported datasets if {@code name} is not one
     */
    public static String directory(String name, String path) throws IOException {
        requireKnown(name);
        if (path != null && !path.isEmpty()) {
            return path;
        }
        java.nio.file.Path found = name.equals(MnistDigits.NAME)
                ? MnistDigits.resolve(null, DatasetCache.defaultDir(), true)
                : FashionMnist.resolve(null, DatasetCache.defaultDir(), true);
        return found.toUri().toString();
    }

    /** The class names of the dataset {@code name}, label {@code i} the name at {@code i}. */
    public static List<String> classNames(String name) {
        requireKnown(name);
        return name.equals(FashionMnist.NAME) ? FashionMnist.classNames()
                : java.util.stream.IntStream.range(0, 10).mapToObj(String::valueOf).toList();
    }

    /** @throws IllegalArgumentException naming the supported datasets if {@code name} is not one */
    public static void requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; available: " + String.join(", ", NAMES));
        }
    }

    /**
     * The training or test split in directory {@code dir} (any FileSystem URI) holding the four IDX files
     * of an MNIST-style dataset with 10 classes (Fashion-MNIST, the MNIST digits).
     */
    public static DatasetFiles idx(String dir, boolean train, Configuration conf) throws IOException {
        return new DatasetFiles(find(dir, IdxFile.images(train), conf), find(dir, IdxFile.labels(train), conf),
                FashionMnist.NUM_CLASSES);
    }

    private static String find(String dir, IdxFile part, Configuration conf) throws IOException {
        Path base = new Path(dir);
        FileSystem fs = base.getFileSystem(conf);
        List<String> names = part.fileNames();
        for (String name : names) {
            Path p = new Path(base, name);
            if (fs.exists(p)) {
                return p.toString();
            }
        }
        throw new FileNotFoundException(dir + ": no " + String.join(" or ", names) + " in the data directory");
    }

    /**
     * Reads and validates both files: magic numbers, sizes, truncation, label range, and that the counts
     * agree. Nothing is trained or written before this has passed.
     */
    public Content read(Configuration conf) throws IOException {
        IdxReader.Images img;
        int[] lab;
        Path ip = new Path(images);
        FileSystem fs = ip.getFileSystem(conf);
        try (InputStream in = fs.open(ip)) {
            img = IdxReader.readImages(in, images, fs.getFileStatus(ip).getLen());
        }
        Path lp = new Path(labels);
        try (InputStream in = fs.open(lp)) {
            lab = IdxReader.readLabels(in, labels, fs.getFileStatus(lp).getLen(), numClasses);
        }
        if (img.count() != lab.length) {
            throw new org.heatwave.datasets.DatasetFormatException("images (" + img.count() + ") and labels ("
                    + lab.length + ") disagree in count: " + images + " vs " + labels);
        }
        return new Content(img, lab);
    }

    /** Records {@code [from, to)} of {@code content} as a block. */
    public static ImageBlock block(Content content, int from, int to) {
        IdxReader.Images img = content.images();
        int per = img.pixelsPerImage();
        float[] px = new float[(to - from) * per];
        byte[] d = img.data();
        for (int k = 0; k < px.length; k++) {
            px[k] = (d[from * per + k] & 0xff) / 255f;
        }
        return new ImageBlock(from, to - from, 1, img.rows(), img.cols(), px,
                java.util.Arrays.copyOfRange(content.labels(), from, to));
    }
}
