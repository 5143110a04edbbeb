import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.net.Network;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * The machine's ceiling for data-parallel training, without Spark: training steps (bind θ, forward, loss,
 * full gradient) of the reference network on batches of N random 28×28 images in T threads of this JVM, all
 * counted over the same fixed window after a warm-up — so that JVMs started together at once are measured only
 * while they all run. Prints the images/s of all threads together.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp ops/target/classes bench/ConcurrentSteps.java [N] [T] [WARMUP_S] [WINDOW_S]
 * </pre>
 */
public class ConcurrentSteps {
    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long warm = (long) ((args.length > 2 ? Double.parseDouble(args[2]) : 40) * 1e9);
        long window = (long) ((args.length > 3 ? Double.parseDouble(args[3]) : 40) * 1e9);
        Network net = Network.parabolic(new Geometry(28, 28, 1), new int[] {16, 32, 64}, 3, 0.5, Activation.TANH, 10);
        double[] theta = net.init(1);
        long start = System.nanoTime();
        long[] images = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            workers[t] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(id);
                float[] pixels = new float[n * 784];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) r.nextDouble();
                }
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(10);
                }
                Batch batch = new Batch(new Shape(n, 1, 28, 28), pixels);
                while (System.nanoTime() - start < warm + window) {
                    net.evaluate(net.bind(theta), batch, labels, 0, new double[theta.length]);
                    long now = System.nanoTime() - start;
                    if (now > warm && now < warm + window) {
                        images[id] += n;
                    }
                }
            });
            workers[t].start();
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            total += images[t];
        }
        System.out.printf("{\"batch\": %d, \"threads\": %d, \"images_per_second\": %.1f}%n", n, threads, total / (window / 1e9));
    }
}
