package org.heatwave.datasets;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the two IDX layouts {@link IdxReader} reads: unsigned-byte images ({@code 0x00000803}, count,
 * rows, columns, then the pixels row-major, image after image) and unsigned-byte labels
 * ({@code 0x00000801}, count, then the labels). Big-endian, uncompressed.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * @param pixels {@code count * rows * cols} unsigned bytes
     * @throws IllegalArgumentException if the length disagrees with the shape
     */
    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels) throws IOException {
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + count + " images of " + rows + "x" + cols);
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.IMAGES_MAGIC);
        data.writeInt(count);
        data.writeInt(rows);
        data.writeInt(cols);
        data.write(pixels);
        data.flush();
    }

    /**
     * @param labels one class index per record, each in {@code 0 … 255}
     * @throws IllegalArgumentException if a label does not fit in a byte
     */
    public static void writeLabels(OutputStream out, int[] labels) throws IOException {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " of record " + i + " does not fit in a byte");
            }
            bytes[i] = (byte) labels[i];
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.LABELS_MAGIC);
        data.writeInt(labels.length);
        data.write(bytes);
        data.flush();
    }
}
