package org.heatwave.stability;

import java.util.ArrayList;
import java.util.List;
import org.heatwave.act.Activation;
import org.heatwave.block.EulerBlock;
import org.heatwave.block.TimeWeights;
import org.heatwave.block.VerletBlock;
import org.heatwave.layer.AntisymmetricLayer;
import org.heatwave.layer.ConvActLayer;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * Seed 004's stability experiments, run through heatwave's blocks on 1×1 "images" whose channels are the
 * feature coordinates (a 1×1 convolution is then the seed's weight matrix):
 *
 * <ul>
 *   <li><b>Forward Euler</b>, {@value #LAYERS} identical layers, {@code f = tanh}, {@code h = 0.1},
 *       {@code b = 0}: {@code y ← y + h f(y K)} (the seed's row convention, i.e. {@code f(Kᵀ y)} in columns)
 *       for {@code K+ = [2 −2; 0 2]} (eigenvalue 2: features separate), {@code K− = [−2 0; 2 −2]} (−2:
 *       features collapse), {@code K0 = [0 −1; 1 0]} (±i: distances kept), and the antisymmetric versions
 *       {@code y ← y + h f(½ y (K − Kᵀ − γI))} of K+ and K− (stable; the seed's text has a symmetric
 *       {@code K + Kᵀ} there, and leaves γ open: 0 here, which makes both equal K0), on the features
 *       {@code y1 = (0.1, 0.1)}, {@code y2 = −y1}, {@code y3 = (0, 0.5)}.</li>
 *   <li><b>Verlet</b>, N = 20, 50, 100, 200, 500, 1000 identical layers, same f, h, b:
 *       {@code z ← z − h f(Kᵀ y)}, {@code y ← y + h f(K z)} with {@code K_v = (k1 k2)},
 *       {@code k1 = (2, −1, 0)ᵀ}, {@code k2 = (1, 2, 1)ᵀ} — so {@code y ∈ ℝ³}, {@code z ∈ ℝ²} (embedded in ℝ³
 *       with a zero third column, which keeps {@code z₃ = 0}); the seed gives neither the features nor
 *       {@code z₀}: the Euler features with a zero third coordinate, and {@code z₀ = 0}.</li>
 * </ul>
 */
public final class Seed004 {
    /** Step size of every experiment. */
    public static final double H = 0.1;
    /** Layers of the Euler experiments ("N = 21 identical layers"). */
    public static final int LAYERS = 21;
    /** Layer counts of the Verlet experiment. */
    public static final int[] VERLET_LAYERS = {20, 50, 100, 200, 500, 1000};
    public static final double[][] K_PLUS = {{2, -2}, {0, 2}};
    public static final double[][] K_MINUS = {{-2, 0}, {2, -2}};
    public static final double[][] K_ZERO = {{0, -1}, {1, 0}};
    /** {@code K_v = (k1 k2)} with a zero third column (z's unused third coordinate). */
    public static final double[][] K_VERLET = {{2, 1, 0}, {-1, 2, 0}, {0, 1, 0}};
    /** y1, y2 = −y1, y3. */
    public static final double[][] FEATURES = {{0.1, 0.1}, {-0.1, -0.1}, {0, 0.5}};

    private Seed004() {
    }

    /**
     * One experiment: its name, the weight matrix as the seed writes it, and the features after every
     * layer, {@code trajectory[layer][feature][coordinate]} (layer 0: the input).
     */
    public record Run(String name, double[][] matrix, double[][][] trajectory) {
        /** The features after the last layer. */
        public double[][] last() {
            return trajectory[trajectory.length - 1];
        }

        /** {@code ‖y_a − y_b‖} for the pairs (1,2), (1,3), (2,3) after layer {@code layer}. */
        public double[] distances(int layer) {
            double[][] y = trajectory[layer];
            return new double[] {distance(y[0], y[1]), distance(y[0], y[2]), distance(y[1], y[2])};
        }

        /** The largest feature norm over every layer. */
        public double maxNorm() {
            double m = 0;
            for (double[][] layer : trajectory) {
                for (double[] y : layer) {
                    m = Math.max(m, norm(y));
                }
            }
            return m;
        }

        /** The smallest feature norm after the first layer (y3 and y1 start away from 0). */
        public double minNorm() {
            double m = Double.POSITIVE_INFINITY;
            for (int l = 1; l < trajectory.length; l++) {
                for (double[] y : trajectory[l]) {
                    m = Math.min(m, norm(y));
                }
            }
            return m;
        }
    }

    /** The five forward-Euler experiments: K+, K−, K0, antisymmetric K+, antisymmetric K−. */
    public static List<Run> euler() {
        List<Run> runs = new ArrayList<>();
        runs.add(eulerRun("K+", K_PLUS, false));
        runs.add(eulerRun("K-", K_MINUS, false));
        runs.add(eulerRun("K0", K_ZERO, false));
        runs.add(eulerRun("antisymmetric K+", K_PLUS, true));
        runs.add(eulerRun("antisymmetric K-", K_MINUS, true));
        return runs;
    }

    /** The Verlet experiment for every layer count of {@link #VERLET_LAYERS}. */
    public static List<Run> verlet() {
        List<Run> runs = new ArrayList<>();
        Geometry g = new Geometry(1, 1, 3);
        for (int n : VERLET_LAYERS) {
            // F(z) = f(K z + b), G(y) = f(Kᵀ y + b), one shared K: the stencil of K is K itself
            VerletBlock block = new VerletBlock("verlet", new ConvActLayer(g, 1, Activation.TANH, false),
                    new ConvActLayer(g, 1, Activation.TANH, true), true, VerletBlock.Order.Z_FIRST,
                    TimeWeights.constant(n), H, false);
            double[] theta = new double[block.paramCount()];
            setMatrix(theta, K_VERLET);
            List<FeatureMap[]> states = block.trajectory(block.bind(theta, 0), features(3));
            double[][][] trajectory = new double[states.size()][][];
            for (int l = 0; l < trajectory.length; l++) {
                trajectory[l] = rows(states.get(l)[0]);
            }
            runs.add(new Run("verlet N=" + n, K_VERLET, trajectory));
        }
        return runs;
    }

    private static Run eulerRun(String name, double[][] k, boolean antisymmetric) {
        Geometry g = new Geometry(1, 1, 2);
        // rows: y K = Kᵀ y in columns; antisymmetric: ½ y (K − Kᵀ) = ½ (Kᵀ − K) y, i.e. the layer's K is Kᵀ
        Layer f = antisymmetric ? new AntisymmetricLayer(g, 1, 0, Activation.TANH)
                : new ConvActLayer(g, 1, Activation.TANH, true);
        EulerBlock layer = new EulerBlock(name, f, TimeWeights.constant(1), H);
        double[] theta = new double[layer.paramCount()];
        setMatrix(theta, antisymmetric ? transpose(k) : k);
        Layer.Bound bound = layer.bind(theta, 0);
        double[][][] trajectory = new double[LAYERS + 1][][];
        FeatureMap y = features(2);
        trajectory[0] = rows(y);
        for (int l = 1; l <= LAYERS; l++) {
            y = bound.forward(y).output();
            trajectory[l] = rows(y);
        }
        return new Run(name, k, trajectory);
    }

    /** The 1×1 stencil of a {@code c × c} convolution: {@code θ[o][c] = m[o][c]} (bias stays 0). */
    private static void setMatrix(double[] theta, double[][] m) {
        int c = m.length;
        for (int o = 0; o < c; o++) {
            for (int i = 0; i < c; i++) {
                theta[o * c + i] = m[o][i];
            }
        }
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    /** The three features as a batch of 1×1 maps with {@code c} channels (zeros beyond the second). */
    private static FeatureMap features(int c) {
        FeatureMap y = new FeatureMap(1, 1, FEATURES.length, c);
        for (int i = 0; i < FEATURES.length; i++) {
            for (int j = 0; j < 2; j++) {
                y.data()[i * c + j] = (float) FEATURES[i][j];
            }
        }
        return y;
    }

    /** A batch of 1×1 maps as rows {@code [example][channel]}. */
    private static double[][] rows(FeatureMap y) {
        double[][] r = new double[y.n()][y.c()];
        for (int i = 0; i < y.n(); i++) {
            for (int j = 0; j < y.c(); j++) {
                r[i][j] = y.data()[i * y.c() + j];
            }
        }
        return r;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double norm(double[] a) {
        return distance(a, new double[a.length]);
    }
}
