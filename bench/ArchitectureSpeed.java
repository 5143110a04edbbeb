import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.heatwave.layer.Layer;
import org.heatwave.net.Network;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * Compute cost of one training step of each configured network, measured interleaved in one JVM (issue 4's
 * architecture comparison): for every config, the network it builds (exactly as {@code bin/heatwave train}
 * does) runs forward, loss and full gradient on a batch of random 28×28 images on one thread — what one
 * Spark task does per step, without the driver's and Spark's share. The configs take turns round by round,
 * so a drift in the machine's speed touches all of them alike; per config the median over the rounds after
 * the first third (JIT warm-up). Prints a JSON line per config and a Markdown table with each config's time
 * relative to the first one's.
 *
 * <pre>
 *   bench/architecture-speed.sh conf/compare/parabolic-150k.conf conf/compare/lean-150k.conf …
 * </pre>
 * Environment: {@code BATCH} (default 32, one core's share of the configs' batch of 64 on 2 cores),
 * {@code ROUNDS} (default 30).
 */
public class ArchitectureSpeed {
    public static void main(String[] args) {
        int n = Integer.parseInt(System.getenv().getOrDefault("BATCH", "32"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "30"));
        List<String> names = new ArrayList<>();
        List<Network> nets = new ArrayList<>();
        List<double[]> thetas = new ArrayList<>();
        for (String path : args) {
            Settings s = Settings.load(new File(path), List.of());
            ModelSpec spec = new org.heatwave.pipeline.train.Trainer(s, System.out).spec(1, 28, 28, 10);
            Network net = spec.network();
            names.add(new File(path).getName().replace(".conf", ""));
            nets.add(net);
            thetas.add(net.init(s.get(org.heatwave.pipeline.config.Keys.SEED)));
        }
        SplittableRandom r = new SplittableRandom(1);
        float[] pixels = new float[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Batch batch = new Batch(new Shape(n, 1, 28, 28), pixels);
        double[][] seconds = new double[nets.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int a = 0; a < nets.size(); a++) {
                Network net = nets.get(a);
                long t0 = System.nanoTime();
                Layer.Bound bound = net.bind(thetas.get(a));
                double[] grad = new double[thetas.get(a).length];
                net.evaluate(bound, batch, labels, 0, grad);
                seconds[a][round] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double[] median = new double[nets.size()];
        for (int a = 0; a < nets.size(); a++) {
            double[] timed = Arrays.copyOfRange(seconds[a], rounds / 3, rounds);
            Arrays.sort(timed);
            median[a] = timed[timed.length / 2];
            System.out.printf("{\"config\": \"%s\", \"params\": %d, \"batch\": %d, \"median_step_ms\": %.1f, "
                    + "\"images_per_second_per_core\": %.1f}%n", names.get(a), thetas.get(a).length, n,
                    1e3 * median[a], n / median[a]);
        }
        System.out.println();
        System.out.println("| config | parameters | ms per step (batch " + n + ", 1 thread) | relative to " + names.get(0)
                + " | images/s per core |");
        System.out.println("|---|---|---|---|---|");
        for (int a = 0; a < nets.size(); a++) {
            System.out.printf("| %s | %,d | %.1f | %.2f× | %.0f |%n", names.get(a), thetas.get(a).length,
                    1e3 * median[a], median[a] / median[0], n / median[a]);
        }
    }
}
