package org.heatwave.datasets;

import java.io.IOException;

/**
 * A dataset file whose content is malformed: wrong magic number, truncated header or data, a header
 * that claims implausible or more data than the file holds, trailing bytes, labels out of range, or
 * image and label files that disagree.
 *
 * <p>The message always begins with the source (the file name or URI the caller passed in) followed by
 * the problem, for example {@code "train-labels-idx1-ubyte.gz: label 11 at record 57 is outside 0..9"}.
 * A message that concerns two files names both.
 */
public final class DatasetFormatException extends IOException {

    /**
     * Creates the exception.
     *
     * @param message the full message, naming the source and the problem
     */
    public DatasetFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause (for example the {@link java.util.zip.ZipException} of a corrupt
     * gzip stream).
     *
     * @param message the full message, naming the source and the problem
     * @param cause   the underlying exception
     */
    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
