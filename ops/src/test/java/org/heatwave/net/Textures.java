package org.heatwave.net;

import java.util.SplittableRandom;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * A tiny labelled image set for training tests: 8×8 images of four textures a 3×3 convolution tells apart —
 * horizontal stripes, vertical stripes, checkerboard, flat — plus uniform noise of amplitude 0.3.
 */
final class Textures {
    static final int CLASSES = 4;

    private Textures() {
    }

    static Batch images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[n * 64];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int pattern = switch (label(i)) {
                        case 0 -> y % 2;
                        case 1 -> x % 2;
                        case 2 -> (y + x) % 2;
                        default -> 0;
                    };
                    d[i * 64 + y * 8 + x] = 0.3f * (float) r.nextDouble() + pattern;
                }
            }
        }
        return new Batch(new Shape(n, 1, 8, 8), d);
    }

    static int label(int i) {
        return i % CLASSES;
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = label(i);
        }
        return y;
    }
}
