import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.block.TimeWeights;
import org.heatwave.block.VerletBlock;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.layer.Normalization;
import org.heatwave.net.Blocks;
import org.heatwave.tensor.FeatureMap;
import org.heatwave.testkit.Retained;

/**
 * Activation memory of the reversible blocks (issue 4): for Hamiltonian (seed 003), Verlet (seed 004) and
 * leapfrog blocks of depth 64 on 28×28 × 16 features, batch 32, the bytes a forward pass keeps for the
 * adjoint pass — counted exactly ({@code testkit/Retained}: every primitive array reachable from the trace,
 * not the input) and measured on the heap (used heap after GC with the trace alive, minus without) — with
 * the states recomputed backwards (default) and with every state stored; and the time of forward +
 * adjoint of each (best of 5, single thread), the price of the recomputation.
 *
 * <pre>
 *   mvn -q -DskipTests install && mvn -q -pl ops test-compile
 *   java --add-modules=jdk.incubator.vector -Xmx8g -cp ops/target/classes:ops/target/test-classes bench/BlockMemory.java
 * </pre>
 */
public class BlockMemory {
    public static void main(String[] args) {
        Geometry g = new Geometry(28, 28, 16);
        int n = 32;
        int depth = 64;
        System.out.println("| block | kept, reversible (MB) | kept, all states (MB) | ratio | heap, reversible (MB) | heap, all states (MB)"
                + " | forward + adjoint, reversible (s) | all states (s) | time ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        VerletBlock[] blocks = {
            Blocks.hamiltonian(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(depth), 0.1, false),
            Blocks.verlet(g, 3, Activation.TANH, TimeWeights.perStep(depth), 0.1, false),
            Blocks.leapfrog(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(depth), 0.1, false)};
        for (VerletBlock reversible : blocks) {
            VerletBlock stored = new VerletBlock(reversible.describe().split(" ")[0], reversible, true);
            double[] theta = new double[reversible.paramCount()];
            reversible.init(theta, 0, new SplittableRandom(1));
            FeatureMap y = new FeatureMap(g.h(), g.w(), n, g.c());
            SplittableRandom r = new SplittableRandom(2);
            for (int i = 0; i < y.data().length; i++) {
                y.data()[i] = (float) r.nextGaussian();
            }
            double[] row = new double[6];
            VerletBlock[] both = {reversible, stored};
            for (int b = 0; b < 2; b++) {
                Layer.Bound bound = both[b].bind(theta, 0);
                long before = usedAfterGc();
                Layer.Trace trace = bound.forward(y);
                long after = usedAfterGc();
                row[b] = Retained.bytes(trace, y) / 1e6;
                row[2 + b] = (after - before) / 1e6;
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 5; rep++) {
                    long t0 = System.nanoTime();
                    Layer.Trace t = bound.forward(y);
                    bound.vjp(t, y, new double[theta.length], 0);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                row[4 + b] = best;
                if (trace.output() == null) {
                    throw new AssertionError();
                }
            }
            System.out.printf(java.util.Locale.ROOT, "| %s | %.1f | %.1f | %.4f | %.1f | %.1f | %.2f | %.2f | %.2f |%n",
                    reversible.describe().split(" ")[0], row[0], row[1], row[0] / row[1], row[2], row[3], row[4], row[5],
                    row[4] / row[5]);
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
