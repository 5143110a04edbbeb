package org.heatwave.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four files of an MNIST-style dataset in the IDX format (LeCun et al.): training and test images and
 * labels, each stored either gzipped or plain. Fashion-MNIST ships them; {@link MnistDigits} writes them.
 * The file names live here only.
 */
public enum IdxFile {
    /** Training images. */
    TRAIN_IMAGES("train-images-idx3-ubyte"),
    /** Training labels. */
    TRAIN_LABELS("train-labels-idx1-ubyte"),
    /** Test images. */
    TEST_IMAGES("t10k-images-idx3-ubyte"),
    /** Test labels. */
    TEST_LABELS("t10k-labels-idx1-ubyte");

    private final String baseName;

    IdxFile(String baseName) {
        this.baseName = baseName;
    }

    /**
     * @param train the training set if true, the test set if false
     * @return the image file of that set
     */
    public static IdxFile images(boolean train) {
        return train ? TRAIN_IMAGES : TEST_IMAGES;
    }

    /**
     * @param train the training set if true, the test set if false
     * @return the label file of that set
     */
    public static IdxFile labels(boolean train) {
        return train ? TRAIN_LABELS : TEST_LABELS;
    }

    /** @return the file name without {@code .gz}, e.g. {@code train-images-idx3-ubyte} */
    public String baseName() {
        return baseName;
    }

    /** @return the accepted file names in order of preference: gzip first, then uncompressed */
    public List<String> fileNames() {
        return List.of(baseName + ".gz", baseName);
    }

    /**
     * @param dir a local directory
     * @return the first of {@link #fileNames()} that is a regular file in {@code dir}, if any
     */
    public Optional<Path> find(Path dir) {
        return fileNames().stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** @return a description of the names for messages, e.g. {@code train-images-idx3-ubyte[.gz]} */
    String display() {
        return baseName + "[.gz]";
    }

    /**
     * @param dir a local directory
     * @return the files with no copy in {@code dir}, in declaration order; all of them if {@code dir} is not a
     *         directory
     */
    public static List<IdxFile> missing(Path dir) {
        List<IdxFile> missing = new ArrayList<>();
        for (IdxFile file : values()) {
            if (file.find(dir).isEmpty()) {
                missing.add(file);
            }
        }
        return missing;
    }

    /**
     * @param dir a local directory
     * @return whether {@code dir} holds all four files
     */
    public static boolean isComplete(Path dir) {
        return missing(dir).isEmpty();
    }

    /** The files' names for messages, e.g. {@code train-images-idx3-ubyte[.gz], t10k-…}. */
    static String describe(List<IdxFile> files) {
        return files.stream().map(IdxFile::display).collect(Collectors.joining(", "));
    }
}
