package org.heatwave.layer;

import java.util.SplittableRandom;

/** Parameter initialisation, deterministic for a given generator state. */
public final class Init {
    private Init() {
    }

    /** Fills {@code theta[off … off + len)} with independent normal samples of standard deviation {@code std}. */
    public static void gaussian(double[] theta, int off, int len, double std, SplittableRandom random) {
        for (int i = 0; i < len; i++) {
            // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            theta[off + i] = std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}
