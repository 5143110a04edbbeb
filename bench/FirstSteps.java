import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.net.Network;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * The first training steps of a fresh JVM, one thread, outside Spark: the reference network's step (bind θ, forward,
 * loss, full gradient) on 32 random 28×28 images, 60 times. Prints each of the first 10 steps' seconds and every
 * 10th, with the running total in brackets — what a run's first steps cost beyond the steady step, under the JVM
 * options given (e.g. with and without {@code -XX:+AlwaysPreTouch}).
 *
 * <pre>
 *   mvn -q -DskipTests install
 *   java -Xms2g -Xmx2g [OPTIONS] --add-modules=jdk.incubator.vector -cp ops/target/classes bench/FirstSteps.java
 * </pre>
 */
public class FirstSteps {
    public static void main(String[] args) {
        int n = 32;
        Network net = Network.parabolic(new Geometry(28, 28, 1), new int[] {16, 32, 64}, 3, 0.5, Activation.TANH, 10);
        double[] theta = net.init(1);
        float[] pixels = new float[n * 784];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Batch batch = new Batch(new Shape(n, 1, 28, 28), pixels);
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (int it = 0; it < 60; it++) {
            long t0 = System.nanoTime();
            net.evaluate(net.bind(theta), batch, labels, 0, new double[theta.length]);
            double s = (System.nanoTime() - t0) / 1e9;
            total += s;
            if (it < 10 || it % 10 == 9) {
                out.append(String.format("%d:%.2f(%.1f) ", it + 1, s, total));
            }
        }
        System.out.println(out.toString().strip());
    }
}
