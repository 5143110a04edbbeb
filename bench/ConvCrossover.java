import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;

/**
 * Where the convolution methods cross over: for one stencil size, boundary and stride, the best time (over
 * a few seconds of repeats) of forward, transpose and θ-gradient of a {@code c → c} convolution on a batch
 * of 64 images by the FFT path and the direct method, single thread, each as a ratio to the direct time,
 * and the method {@link Convolution.Method#choose} takes. The data behind {@code ConvolutionCost}'s
 * constants (BENCHMARKS.md, "Choosing the method"); run it to check the choice on another machine.
 *
 * <pre>
 *   mvn -q -DskipTests install
 *   java --add-modules=jdk.incubator.vector -cp ops/target/classes bench/ConvCrossover.java K BOUNDARY STRIDE \
 *       [sizes=7,14,28,56] [widths=16,32,64,128]
 *   e.g. java --add-modules=jdk.incubator.vector -cp ops/target/classes bench/ConvCrossover.java 3 PERIODIC 1
 * </pre>
 *
 * Best-of times, not means: on a shared machine the minimum is the stable statistic for comparing two
 * methods measured back to back. Do not mix channel widths that are not multiples of 16 into one run
 * with the others if you read absolute figures (see {@code org.heatwave.simd.Simd}).
 */
public class ConvCrossover {
    public static void main(String[] args) {
        int k = Integer.parseInt(args[0]);
        Boundary boundary = Boundary.valueOf(args[1]);
        int stride = Integer.parseInt(args[2]);
        int[] sizes = ints(args.length > 3 ? args[3] : "7,14,28,56");
        int[] widths = ints(args.length > 4 ? args[4] : "16,32,64,128");
        List<Convolution.Method> methods = List.of(Convolution.Method.FFT, Convolution.Method.DIRECT);
        StringBuilder header = new StringBuilder("k=" + k + " " + boundary + " stride " + stride + ": size width");
        for (Convolution.Method m : methods) {
            header.append(" | ").append(m.name().toLowerCase(Locale.ROOT)).append(" fwd tr grad prep");
        }
        System.out.println(header + " | time/direct (fwd+tr+grad) | chosen");
        for (int size : sizes) {
            for (int width : widths) {
                SplittableRandom r = new SplittableRandom(1);
                double[] theta = new double[width * width * k * k];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = r.nextGaussian();
                }
                FeatureMap y = new FeatureMap(size, size, 64, width);
                for (int i = 0; i < y.data().length; i++) {
                    y.data()[i] = (float) r.nextGaussian();
                }
                double secs = size >= 28 ? 2 : 1;
                StringBuilder line = new StringBuilder(size + " " + width);
                double[] total = new double[methods.size()];
                FeatureMap g = null;
                for (int j = 0; j < methods.size(); j++) {
                    Convolution conv = new Convolution(width, width, k, size, size, boundary, stride, methods.get(j));
                    PreparedKernel prepared = conv.prepare(theta, 0);
                    FeatureMap cot = g != null ? g : conv.apply(prepared, y);
                    g = cot;
                    double[] grad = new double[theta.length];
                    double f = best(() -> conv.apply(prepared, y), secs);
                    double t = best(() -> conv.applyTranspose(prepared, cot), secs);
                    double d = best(() -> conv.accumulateGradient(cot, y, grad, 0), secs);
                    double p = best(() -> conv.prepare(theta, 0), secs / 2);
                    total[j] = f + t + d;
                    line.append(String.format(Locale.ROOT, " | %.2f %.2f %.2f %.2f", f, t, d, p));
                }
                line.append(" |");
                for (double time : total) {
                    line.append(String.format(Locale.ROOT, " %.2f", time / total[1]));
                }
                Convolution.Method chosen = Convolution.Method.choose(width, width, k, size, size, boundary, stride);
                System.out.println(line + " | " + chosen);
            }
        }
    }

    /** Best time in ms of {@code task} over at least {@code seconds} and 4 runs. */
    private static double best(Runnable task, double seconds) {
        long best = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int i = 0; i < 4 || System.nanoTime() - start < seconds * 1e9; i++) {
            long t = System.nanoTime();
            task.run();
            best = Math.min(best, System.nanoTime() - t);
        }
        return best / 1e6;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
