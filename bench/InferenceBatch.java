import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.net.Network;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * Inference speed of the reference network against the number of images per forward pass, outside Spark: THREADS
 * threads classify 10,000 random 28×28 images between them, in forward passes of BATCH images of the inference
 * binding, three times over in one fresh JVM. Prints the first pass (JIT warm-up included) and the mean of the other
 * two, in images/s. Which batch size {@link Network#INFERENCE_BATCH} is comes from this program: run each size in its
 * own JVM, several times, interleaved.
 *
 * <pre>
 *   mvn -q -DskipTests install
 *   for b in 256 32 64 128 16; do
 *     java --add-modules=jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp ops/target/classes \
 *       bench/InferenceBatch.java $b 2
 *   done
 * </pre>
 */
public class InferenceBatch {
    public static void main(String[] args) throws InterruptedException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : Network.INFERENCE_BATCH;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int n = 10_000;
        Network net = Network.parabolic(new Geometry(28, 28, 1), new int[] {16, 32, 64}, 3, 0.5, Activation.TANH, 10);
        double[] theta = net.init(1);
        float[] pixels = new float[n * 784];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        double[] perSecond = new double[3];
        for (int pass = 0; pass < perSecond.length; pass++) {
            long t0 = System.nanoTime();
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int lo = (int) ((long) t * n / threads), hi = (int) ((long) (t + 1) * n / threads);
                workers[t] = new Thread(() -> {
                    var bound = net.bindForInference(theta);
                    for (int s = lo; s < hi; s += batch) {
                        int m = Math.min(batch, hi - s);
                        net.scores(bound, new Batch(new Shape(m, 1, 28, 28),
                                Arrays.copyOfRange(pixels, s * 784, (s + m) * 784)));
                    }
                });
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            perSecond[pass] = n / ((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("{\"batch\": %d, \"threads\": %d, \"first_pass_images_per_second\": %.1f,"
                + " \"warm_images_per_second\": %.1f}%n", batch, threads, perSecond[0], (perSecond[1] + perSecond[2]) / 2);
    }
}
