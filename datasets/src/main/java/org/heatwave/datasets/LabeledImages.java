package org.heatwave.datasets;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of single-channel images with one class label each, held in memory.
 *
 * <p>Layout: {@link #pixels()} holds {@code count * height * width} floats, image after image, each image
 * row-major (pixel {@code (r, c)} of image {@code i} is at {@code i * height * width + r * width + c}),
 * every value in [0, 1]. {@link #labels()} holds {@code count} class indices in
 * {@code 0..numClasses-1}.
 *
 * <p>Immutable by convention: the accessors return the internal arrays without copying, and callers must
 * not modify them. {@link #head(int)} copies.
 */
public final class LabeledImages {

    private final String source;
    private final int height;
    private final int width;
    private final int numClasses;
    private final float[] pixels;
    private final int[] labels;

    /**
     * Creates the set after checking that the arrays agree with the shape, every pixel lies in [0, 1]
     * (so none is NaN or infinite) and every label lies in {@code 0..numClasses-1}. The arrays are
     * taken over, not copied.
     *
     * @param source     where the data came from (file names or URIs), used in messages
     * @param height     image height in pixels, positive
     * @param width      image width in pixels, positive
     * @param numClasses number of classes, positive
     * @param pixels     {@code labels.length * height * width} values in [0, 1], not modified
     * @param labels     one class index per image, not modified
     * @throws IllegalArgumentException if the shapes disagree or a pixel or label is out of range
     */
    public LabeledImages(String source, int height, int width, int numClasses, float[] pixels, int[] labels) {
        this(Objects.requireNonNull(source, "source"), height, width, numClasses,
                Objects.requireNonNull(pixels, "pixels"), Objects.requireNonNull(labels, "labels"), true);
    }

    private LabeledImages(String source, int height, int width, int numClasses, float[] pixels, int[] labels,
            boolean validate) {
        this.source = source;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    source + ": image size must be positive but is " + height + "x" + width);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException(source + ": numClasses must be positive but is " + numClasses);
        }
        long expected = (long) labels.length * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "%s: pixels has length %d but %d images of %dx%d need %d",
                    source, pixels.length, labels.length, height, width, expected));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(String.format(
                        "%s: label %d at record %d is outside 0..%d", source, labels[i], i, numClasses - 1));
            }
        }
        int perImage = height * width;
        for (int k = 0; k < pixels.length; k++) {
            float v = pixels[k];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(String.format(
                        "%s: pixel %d of record %d is %s, outside [0, 1]", source, k % perImage, k / perImage, v));
            }
        }
    }

    /** @return where the data came from (file names or URIs) */
    public String source() {
        return source;
    }

    /** @return the number of images */
    public int count() {
        return labels.length;
    }

    /** @return image height in pixels */
    public int height() {
        return height;
    }

    /** @return image width in pixels */
    public int width() {
        return width;
    }

    /** @return {@code height() * width()} */
    public int pixelsPerImage() {
        return height * width;
    }

    /** @return the number of classes; every label lies in {@code 0..numClasses()-1} */
    public int numClasses() {
        return numClasses;
    }

    /**
     * @return all pixels, {@code count * height * width} values in [0, 1], image after image, row-major;
     *         the internal array, which the caller must not modify
     */
    public float[] pixels() {
        return pixels;
    }

    /** @return one class index per image; the internal array, which the caller must not modify */
    public int[] labels() {
        return labels;
    }

    /** @return a new array of length {@code numClasses()} holding how many images carry each label */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The first {@code limit} records.
     *
     * @param limit how many records to keep; 0, or at least {@link #count()}, keeps all
     * @return this set if all records are kept, otherwise a copy of the first {@code limit} records
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public LabeledImages head(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 but is " + limit);
        }
        if (limit == 0 || limit >= count()) {
            return this;
        }
        return new LabeledImages(source, height, width, numClasses,
                Arrays.copyOf(pixels, limit * pixelsPerImage()), Arrays.copyOf(labels, limit), false);
    }

    @Override
    public String toString() {
        return String.format("LabeledImages[%d images of %dx%d, %d classes, from %s]",
                count(), height, width, numClasses, source);
    }
}
