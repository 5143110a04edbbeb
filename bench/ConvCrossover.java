import java.util.Arrays;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.DirectConvolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;

/**
 * Where the FFT path and the direct method cross over: for one stencil size, boundary and stride, the best
 * time (over a few seconds of repeats) of forward, transpose and θ-gradient of a {@code c → c} convolution
 * on a batch of 64 images by both methods, single thread, and the method {@link Convolution.Method#choose}
 * takes. The data behind {@code ConvolutionCost}'s constants (BENCHMARKS.md, "Choosing the method"); run
 * it to check the choice on another machine.
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
        System.out.println("k=" + k + " " + boundary + " stride " + stride
                + ": size width | fft fwd tr grad prep | direct fwd tr grad | ratio fft/direct (fwd+tr+grad) | chosen");
        for (int size : sizes) {
            for (int width : widths) {
                SplittableRandom r = new SplittableRandom(1);
                Convolution fft = new Convolution(width, width, k, size, size, boundary, stride, Convolution.Method.FFT);
                DirectConvolution direct = new DirectConvolution(width, width, k, size, size, boundary, stride);
                double[] theta = new double[direct.paramCount()];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = r.nextGaussian();
                }
                DirectConvolution.Weights weights = direct.prepare(theta, 0);
                PreparedKernel spectrum = fft.prepare(theta, 0);
                FeatureMap y = new FeatureMap(size, size, 64, width);
                for (int i = 0; i < y.data().length; i++) {
                    y.data()[i] = (float) r.nextGaussian();
                }
                FeatureMap g = direct.apply(weights, y);
                double[] grad = new double[theta.length];
                double secs = size >= 28 ? 2 : 1;
                double ff = best(() -> fft.apply(spectrum, y), secs);
                double ft = best(() -> fft.applyTranspose(spectrum, g), secs);
                double fg = best(() -> fft.accumulateGradient(g, y, grad, 0), secs);
                double fp = best(() -> fft.prepare(theta, 0), secs / 2);
                double df = best(() -> direct.apply(weights, y), secs);
                double dt = best(() -> direct.applyTranspose(weights, g), secs);
                double dg = best(() -> direct.accumulateGradient(g, y, grad, 0), secs);
                Convolution.Method chosen = Convolution.Method.choose(width, width, k, size, size, boundary, stride);
                System.out.printf("%d %d | %.2f %.2f %.2f %.2f | %.2f %.2f %.2f | %.2f | %s%n", size, width, ff, ft, fg, fp,
                        df, dt, dg, (ff + ft + fg) / (df + dt + dg), chosen);
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
