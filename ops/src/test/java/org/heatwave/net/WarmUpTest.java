package org.heatwave.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.heatwave.act.Activation;
import org.heatwave.layer.Geometry;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The JIT warm-up: it trains in the background until stopped or out of time, and changes no other computation. */
class WarmUpTest {
    private static Network network() {
        return Network.parabolic(new Geometry(8, 8, 1), new int[] {2, 4}, 1, 0.5, Activation.TANH, 3);
    }

    @Test
    void runsStepsUntilStopped() throws InterruptedException {
        WarmUp warmUp = WarmUp.start(network(), 4, 120);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (warmUp.steps() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(warmUp.steps() >= 3, "steps: " + warmUp.steps());
        warmUp.close();
        assertTrue(warmUp.awaitEnd(30), "the warm-up thread did not stop");
        int done = warmUp.steps();
        Thread.sleep(50);
        assertEquals(done, warmUp.steps());
    }

    @Test
    void endsByItselfWhenItsTimeIsUp() throws InterruptedException {
        WarmUp warmUp = WarmUp.start(network(), 4, 0);
        assertTrue(warmUp.awaitEnd(30), "a warm-up out of time keeps running");
        assertEquals(0, warmUp.steps());
    }

    @Test
    void changesNoResultOfTheSameNetworkComputedBesideIt() throws InterruptedException {
        Network net = network();
        double[] theta = net.init(7);
        SplittableRandom r = new SplittableRandom(3);
        float[] pixels = new float[16 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(3);
        }
        Batch batch = new Batch(new Shape(16, 1, 8, 8), pixels);
        double[] alone = new double[theta.length];
        double lossAlone = net.evaluate(net.bind(theta), batch, labels, 0, alone).loss();
        try (WarmUp warmUp = WarmUp.start(network(), 16, 120)) {
            for (int k = 0; k < 5; k++) {
                double[] beside = new double[theta.length];
                assertEquals(lossAlone, net.evaluate(net.bind(theta), batch, labels, 0, beside).loss());
                assertArrayEquals(alone, beside);
            }
        }
    }

    @Test
    void refusesAnEmptyBatch() {
        assertThrows(IllegalArgumentException.class, () -> WarmUp.start(network(), 0, 1));
    }
}
