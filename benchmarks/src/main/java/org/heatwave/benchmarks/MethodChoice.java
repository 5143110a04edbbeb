package org.heatwave.benchmarks;

import org.heatwave.conv.Boundary;
import org.heatwave.conv.Convolution;

/**
 * Prints, as JSON lines, the method {@link Convolution.Method#choose} takes for each shape of
 * {@link ConvolutionBench} (3×3, periodic, stride 1, {@code c → c}), so that {@code bench/conv-bench.sh}
 * can report the time of the method heatwave actually uses next to both.
 */
public final class MethodChoice {
    private MethodChoice() {
    }

    public static void main(String[] args) {
        for (int size : new int[] {7, 14, 28, 56}) {
            for (int width : new int[] {8, 16, 32, 64, 128}) {
                Convolution.Method m = Convolution.Method.choose(width, width, 3, size, size, Boundary.PERIODIC, 1);
                System.out.printf("{\"size\": %d, \"width\": %d, \"method\": \"%s\"}%n", size, width, m);
            }
        }
    }
}
