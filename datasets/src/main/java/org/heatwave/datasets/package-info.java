/**
 * Datasets: validated readers for the binary formats, and locating and fetching the real data.
 *
 * <ul>
 *   <li>{@link org.heatwave.datasets.IdxReader} reads IDX image and label files (MNIST, Fashion-MNIST),
 *       raw or gzip (recognised by content, not by name), from any {@link java.io.InputStream}, so the
 *       pipeline can pass streams opened through Hadoop's {@code FileSystem}.</li>
 *   <li>{@link org.heatwave.datasets.LabeledImages} holds a read dataset in memory.</li>
 *   <li>{@link org.heatwave.datasets.FashionMnist} knows the file names, the class names, where the
 *       Debian package {@code dataset-fashion-mnist} puts the files, and how to fetch it without
 *       root into the cache ({@code $HEATWAVE_CACHE}, default {@code ~/.cache/heatwave}).</li>
 * </ul>
 *
 * <p>Conventions: images are single-channel; pixels are {@code float} in [0, 1], the stored unsigned
 * byte divided by 255; one flat array holds all images, image after image, each row-major (pixel
 * {@code (r, c)} of image {@code i} at {@code (i * height + r) * width + c}); labels are {@code int}
 * class indices {@code 0..numClasses-1}. Record numbers count from 0.
 *
 * <p>Bad input (DESIGN §5) raises {@link org.heatwave.datasets.DatasetFormatException}, whose message
 * names the file, the record where there is one, and the problem: wrong magic number, truncated header
 * or data, implausible sizes, a header that claims more data than the file holds, trailing bytes, labels
 * out of range, image and label counts that disagree. No array is sized from a header before the header
 * has been checked against the file length or, where that is unknown, against the data that arrives.
 * A fetch works in a temporary directory and renames the result into place, so it writes nothing
 * partial.
 */
package org.heatwave.datasets;
