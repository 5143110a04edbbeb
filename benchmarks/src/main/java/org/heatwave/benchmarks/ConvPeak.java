package org.heatwave.benchmarks;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;
import org.heatwave.conv.PreparedKernel;
import org.heatwave.tensor.FeatureMap;

/**
 * The convolution's speed as a fraction of the machine's matrix-multiply peak, both measured interleaved
 * in one process (issue 3's acceptance): per shape, rounds of one single-thread float32 sgemm of the
 * system BLAS (OpenBLAS through netlib's JNI binding, the same library PyTorch's {@code torch.mm} uses
 * here) followed by forward, transpose and θ-gradient of a {@code c → c} 3×3 convolution on a batch of
 * 64 images by the FFT path and by the direct method (and the FFT path's per-update kernel spectrum);
 * the method {@link Convolution.Method#choose} picks is reported with them. The peak and
 * the convolution are thus always measured within a second of each other, which matters on a shared
 * machine whose speed drifts up to 2× over minutes (BENCHMARKS.md): a peak measured at the start of a
 * 20-minute run is not a reference for a shape measured at its end.
 *
 * <p>Per shape and operation it reports the best time and GFLOP/s of direct-convolution work
 * ({@code 2·9·c²·h·w·64}), the fraction of the best sgemm rate of the same rounds, and the median over
 * rounds of the paired fraction (the operation's rate over the same round's sgemm rate: the statistic
 * least affected by drift); and the chosen method's time for the three operations over the direct
 * one's (median of pairs).
 *
 * <pre>
 *   bench/conv-peak.sh [sizes=7,14,28,56,64] [widths=8,16,32,64,128] [seconds per shape=8]
 * </pre>
 */
public final class ConvPeak {
    private static final int BATCH = 64;
    /** The sgemm's order: long enough (≈ 15 ms) to reach the peak, short enough to interleave finely. */
    private static final int GEMM = 1024;

    private ConvPeak() {
    }

    public static void main(String[] args) {
        int[] sizes = ints(args.length > 0 ? args[0] : "7,14,28,56,64");
        int[] widths = ints(args.length > 1 ? args[1] : "8,16,32,64,128");
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 8;
        if (!"1".equals(System.getenv("OPENBLAS_NUM_THREADS"))) {
            throw new IllegalStateException("set OPENBLAS_NUM_THREADS=1: the peak is the single-core one"
                    + " (bench/conv-peak.sh does)");
        }
        BLAS blas = NativeBLAS.getInstance();
        Gemm gemm = new Gemm(blas);
        System.out.println("# sgemm: " + blas.getClass().getSimpleName() + " on the system libblas.so.3, n=" + GEMM
                + ", one thread; batch " + BATCH + ", 3x3 periodic, stride 1, " + seconds + " s per shape");
        for (int size : sizes) {
            for (int width : widths) {
                System.out.println(shape(gemm, size, width, seconds));
            }
        }
    }

    /** One JSON line for a shape. */
    private static String shape(Gemm gemm, int size, int width, double seconds) {
        Convolution.Method method = Convolution.Method.choose(width, width, 3, size, size, Boundary.PERIODIC, 1);
        Subject fft = new Subject(size, width, Convolution.Method.FFT);
        Subject direct = new Subject(size, width, Convolution.Method.DIRECT);
        Subject chosen = method == Convolution.Method.FFT ? fft : direct;
        List<Subject> subjects = List.of(fft, direct);
        // warm-up: compile every path before timing
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 2e9) {
            gemm.run();
            subjects.forEach(Subject::round);
        }
        gemm.times.clear();
        subjects.forEach(s -> {
            s.times.forEach(List::clear);
            s.prepares.clear();
        });
        long start = System.nanoTime();
        int rounds = 0;
        while (rounds < 3 || System.nanoTime() - start < seconds * 1e9) {
            gemm.run();
            subjects.forEach(Subject::round);
            rounds++;
        }
        double work = 2.0 * 9 * width * width * size * size * BATCH;
        double peak = gemm.rate(best(gemm.times));
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"size\": %d, \"width\": %d, \"chosen\": \"%s\", \"rounds\": %d, \"peak_gflops\": %.1f",
                size, width, method, rounds, peak));
        String[] ops = {"forward", "transpose", "gradient"};
        for (Subject s : subjects) {
            String name = s == fft ? "fft" : "direct";
            for (int op = 0; op < ops.length; op++) {
                List<Long> t = s.times.get(op);
                double[] paired = new double[t.size()];
                for (int r = 0; r < paired.length; r++) {
                    paired[r] = (work / t.get(r)) / gemm.rate(gemm.times.get(r));
                }
                json.append(String.format(Locale.ROOT,
                        ", \"%s_%s_ms\": %.3f, \"%s_%s_gflops\": %.1f, \"%s_%s_peak\": %.3f, \"%s_%s_peak_paired\": %.3f",
                        name, ops[op], best(t) / 1e6, name, ops[op], work / best(t), name, ops[op],
                        work / best(t) / peak, name, ops[op], median(paired)));
            }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = (double) chosen.total(r) / direct.total(r);
        }
        json.append(String.format(Locale.ROOT, ", \"fft_spectrum_ms\": %.3f, \"chosen_over_direct\": %.3f}",
                best(fft.prepares) / 1e6, median(ratio)));
        return json.toString();
    }

    /** A convolution with its data and the times of its three operations, one entry per round. */
    private static final class Subject {
        final Convolution conv;
        final PreparedKernel prepared;
        final FeatureMap y;
        final FeatureMap g;
        final double[] grad;
        final List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final List<Long> prepares = new ArrayList<>();
        final double[] theta;
        /** Read after each operation so that no result is dead code. */
        float sink;

        Subject(int size, int width, Convolution.Method method) {
            conv = new Convolution(width, width, 3, size, size, Boundary.PERIODIC, 1, method);
            SplittableRandom r = new SplittableRandom(1);
            theta = new double[conv.paramCount()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = r.nextGaussian() / (3 * width);
            }
            prepared = conv.prepare(theta, 0);
            y = normal(r, size, size, width);
            g = normal(r, size, size, width);
            grad = new double[theta.length];
        }

        void round() {
            long t0 = System.nanoTime();
            sink += conv.apply(prepared, y).data()[0];
            long t1 = System.nanoTime();
            sink += conv.applyTranspose(prepared, g).data()[0];
            long t2 = System.nanoTime();
            conv.accumulateGradient(g, y, grad, 0);
            long t3 = System.nanoTime();
            sink += (float) grad[0];
            long t4 = System.nanoTime();
            sink += conv.prepare(theta, 0) == null ? 1 : 0;
            prepares.add(System.nanoTime() - t4);
            times.get(0).add(t1 - t0);
            times.get(1).add(t2 - t1);
            times.get(2).add(t3 - t2);
        }

        long total(int round) {
            return times.get(0).get(round) + times.get(1).get(round) + times.get(2).get(round);
        }
    }

    /** The reference: an {@code n × n} single-precision matrix product of the system BLAS. */
    private static final class Gemm {
        final BLAS blas;
        final float[] a = new float[GEMM * GEMM];
        final float[] b = new float[GEMM * GEMM];
        final float[] c = new float[GEMM * GEMM];
        final List<Long> times = new ArrayList<>();

        Gemm(BLAS blas) {
            this.blas = blas;
            SplittableRandom r = new SplittableRandom(2);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
        }

        void run() {
            long t = System.nanoTime();
            blas.sgemm("N", "N", GEMM, GEMM, GEMM, 1f, a, GEMM, b, GEMM, 0f, c, GEMM);
            times.add(System.nanoTime() - t);
        }

        /** GFLOP/s of one product taking {@code nanos}. */
        double rate(long nanos) {
            return 2.0 * GEMM * GEMM * GEMM / nanos;
        }
    }

    private static FeatureMap normal(SplittableRandom r, int h, int w, int c) {
        FeatureMap m = new FeatureMap(h, w, BATCH, c);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (float) r.nextGaussian();
        }
        return m;
    }

    private static long best(List<Long> times) {
        return times.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
