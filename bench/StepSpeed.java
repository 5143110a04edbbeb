import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.conv.SpectralMixing;
import org.heatwave.layer.Geometry;
import org.heatwave.net.Network;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * Single-thread speed of one training step (forward, loss, full gradient) of the reference network on a
 * batch of random 28×28 images, outside Spark: what one executor core does per task. Prints the best and
 * the median images/s over the second half of the iterations (the first half is JIT warm-up).
 *
 * <pre>
 *   mvn -q -DskipTests install
 *   java --add-modules=jdk.incubator.vector -cp ops/target/classes bench/StepSpeed.java [N] [ITERATIONS] [IMAGES]
 * </pre>
 * IMAGES, a gzip IDX image file (e.g. Fashion-MNIST's {@code train-images-idx3-ubyte.gz}), gives the step its first N
 * real images (pixels / 255, as the trainer reads them) instead of uniform random pixels.
 * Add {@code -Dheatwave.scalar=true} to time the scalar fallback of the channel mixing.
 */
public class StepSpeed {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        Network net = Network.parabolic(new Geometry(28, 28, 1), new int[] {16, 32, 64}, 3, 0.5, Activation.TANH, 10);
        double[] theta = net.init(1);
        SplittableRandom r = new SplittableRandom(1);
        float[] pixels = new float[n * 784];
        if (args.length > 2) {
            try (var in = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(new java.io.FileInputStream(args[2])))) {
                in.skipNBytes(16); // magic, count, rows, columns
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = in.readUnsignedByte() / 255f;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble();
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Batch batch = new Batch(new Shape(n, 1, 28, 28), pixels);
        double[] seconds = new double[iterations];
        for (int it = 0; it < iterations; it++) {
            long t0 = System.nanoTime();
            double[] grad = new double[theta.length];
            net.evaluate(net.bind(theta), batch, labels, 0, grad);
            seconds[it] = (System.nanoTime() - t0) / 1e9;
        }
        double[] timed = Arrays.copyOfRange(seconds, iterations / 2, iterations);
        Arrays.sort(timed);
        System.out.printf("{\"batch\": %d, \"images\": \"%s\", \"mixing\": \"%s\", \"best_images_per_second\": %.1f, \"median_images_per_second\": %.1f}%n",
                n, args.length > 2 ? "real" : "random", SpectralMixing.vectorised() ? "simd" : "scalar", n / timed[0], n / timed[timed.length / 2]);
    }
}
