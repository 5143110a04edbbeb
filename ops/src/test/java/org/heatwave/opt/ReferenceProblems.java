package org.heatwave.opt;

import java.util.SplittableRandom;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.linalg.Vectors;
import org.heatwave.testkit.Fixtures;
import org.heatwave.testkit.Matrices;

/**
 * The optimisers' reference problems (STYLE.md, after Commons Math's shared optimiser tests), each with its
 * minimum known independently of the optimisers: a quadratic, Rosenbrock's function as a least-squares
 * problem, ill-conditioned and rank-deficient linear least squares as averages over their rows (so they are
 * sampled objectives, like training), and Tikhonov-regularised softmax regression.
 */
final class ReferenceProblems {
    private ReferenceProblems() {
    }

    /**
     * @param fStar the minimum value
     * @param xStar a minimiser (null where it is not unique)
     */
    record Problem(String name, SampledObjective objective, double[] x0, double fStar, double[] xStar) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code f(x) = ½xᵀAx − bᵀx}, A SPD with condition 100, minimiser {@code A⁻¹b} — Gauss–Newton operator A. */
    static Problem quadratic() {
        int n = 20;
        double[][] a = Matrices.spd(n, 100, 11);
        double[] xStar = Fixtures.normal(n, 1, 12);
        double[] b = new double[n];
        LinearOperator.of(a).apply(xStar, b);
        Objective f = new Objective() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public Evaluation evaluate(double[] x) {
                double[] ax = new double[n];
                LinearOperator.of(a).apply(x, ax);
                double value = 0.5 * Vectors.dot(x, ax) - Vectors.dot(b, x);
                return Evaluation.of(value, Vectors.minus(ax, b), LinearOperator.of(a));
            }
        };
        return new Problem("quadratic", SampledObjective.of(f), new double[n], -0.5 * Vectors.dot(b, xStar), xStar);
    }

    /**
     * Rosenbrock's {@code f = 100(x₂ − x₁²)² + (1 − x₁)² = ‖r‖²}, {@code r = (10(x₂ − x₁²), 1 − x₁)}, from
     * (−1.2, 1); minimum 0 at (1, 1). Gauss–Newton operator {@code 2JᵀJ}.
     */
    static Problem rosenbrock() {
        Objective f = new Objective() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public Evaluation evaluate(double[] x) {
                double r1 = 10 * (x[1] - x[0] * x[0]), r2 = 1 - x[0];
                double[][] j = {{-20 * x[0], 10}, {-1, 0}};
                double[] g = {2 * (j[0][0] * r1 + j[1][0] * r2), 2 * (j[0][1] * r1 + j[1][1] * r2)};
                LinearOperator gn = (v, out) -> {
                    double jv0 = j[0][0] * v[0] + j[0][1] * v[1], jv1 = j[1][0] * v[0] + j[1][1] * v[1];
                    out[0] = 2 * (j[0][0] * jv0 + j[1][0] * jv1);
                    out[1] = 2 * (j[0][1] * jv0 + j[1][1] * jv1);
                };
                return Evaluation.of(r1 * r1 + r2 * r2, g, gn);
            }
        };
        return new Problem("rosenbrock", SampledObjective.of(f), new double[] {-1.2, 1}, 0, new double[] {1, 1});
    }

    /**
     * Linear least squares {@code f(x) = (1/2m) Σ_{i∈S} (aᵢᵀx − bᵢ)²} over rows {@code S} of {@code A}
     * ({@code rows × n}, singular values log-spaced over {@code condition}, the last {@code n − rank} zero),
     * {@code b = A x*}: minimum 0; the minimiser is unique only with full rank.
     */
    static Problem leastSquares(String name, int rows, int n, int rank, double condition, long seed) {
        double[][] u = Matrices.orthogonal(rows, seed);
        double[][] v = Matrices.orthogonal(n, seed + 1);
        double[][] a = new double[rows][n];
        for (int k = 0; k < rank; k++) {
            double sigma = Math.pow(condition, -k / (double) Math.max(1, rank - 1)) * Math.sqrt(rows);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += sigma * u[i][k] * v[j][k];
                }
            }
        }
        double[] xStar = Fixtures.normal(n, 1, seed + 2);
        double[] b = new double[rows];
        LinearOperator.of(a).apply(xStar, b);
        SampledObjective f = new SampledObjective() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public int examples() {
                return rows;
            }

            @Override
            public Objective on(int[] indices) {
                return new Objective() {
                    @Override
                    public int dimension() {
                        return n;
                    }

                    @Override
                    public Evaluation evaluate(double[] x) {
                        int m = indices.length;
                        double value = 0;
                        double[] g = new double[n];
                        for (int i : indices) {
                            double r = Vectors.dot(a[i], x) - b[i];
                            value += r * r / (2 * m);
                            Vectors.axpy(r / m, a[i], g);
                        }
                        LinearOperator gn = (w, out) -> {
                            java.util.Arrays.fill(out, 0);
                            for (int i : indices) {
                                Vectors.axpy(Vectors.dot(a[i], w) / m, a[i], out);
                            }
                        };
                        return Evaluation.of(value, g, gn);
                    }
                };
            }
        };
        return new Problem(name, f, new double[n], 0, rank == n ? xStar : null);
    }

    /**
     * Softmax regression with Tikhonov regularisation: {@code f(W, μ) = (1/m) Σ CE(W zᵢ + μ, yᵢ) + ½λ‖(W, μ)‖²}
     * on {@code examples} Gaussian points in {@code d} dimensions from {@code classes} shifted clusters
     * (overlapping); parameters {@code W} row-major, then μ. The softmax is blind to a common shift of all
     * scores, so without λ on μ the minimiser would not be unique. Gauss–Newton operator
     * {@code (1/m) Σ Jᵢᵀ(diag(p) − ppᵀ)Jᵢ + λI} — here the exact Hessian.
     */
    static SoftmaxRegression softmax(int examples, int d, int classes, double lambda, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = new double[classes][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = r.nextGaussian();
            }
        }
        double[][] z = new double[examples][d];
        int[] y = new int[examples];
        for (int i = 0; i < examples; i++) {
            y[i] = r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                z[i][j] = centres[y[i]][j] + r.nextGaussian();
            }
        }
        return new SoftmaxRegression(z, y, classes, lambda);
    }

    /** The softmax-regression objective over any subset of its examples. */
    record SoftmaxRegression(double[][] z, int[] y, int classes, double lambda) implements SampledObjective {
        @Override
        public int dimension() {
            return classes * (z[0].length + 1);
        }

        @Override
        public int examples() {
            return z.length;
        }

        /** Class probabilities of example i at parameters x. */
        double[] probabilities(double[] x, int i) {
            int d = z[0].length;
            double[] s = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                s[c] = x[classes * d + c];
                for (int j = 0; j < d; j++) {
                    s[c] += x[c * d + j] * z[i][j];
                }
                max = Math.max(max, s[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                s[c] = Math.exp(s[c] - max);
                sum += s[c];
            }
            for (int c = 0; c < classes; c++) {
                s[c] /= sum;
            }
            return s;
        }

        @Override
        public Objective on(int[] indices) {
            int d = z[0].length;
            int n = dimension();
            return new Objective() {
                @Override
                public int dimension() {
                    return n;
                }

                @Override
                public Evaluation evaluate(double[] x) {
                    int m = indices.length;
                    double value = 0;
                    double[] g = new double[n];
                    double[][] p = new double[m][];
                    for (int k = 0; k < m; k++) {
                        int i = indices[k];
                        p[k] = probabilities(x, i);
                        value -= Math.log(p[k][y[i]]) / m;
                        for (int c = 0; c < classes; c++) {
                            double e = (p[k][c] - (c == y[i] ? 1 : 0)) / m;
                            for (int j = 0; j < d; j++) {
                                g[c * d + j] += e * z[i][j];
                            }
                            g[classes * d + c] += e;
                        }
                    }
                    for (int q = 0; q < n; q++) {
                        value += 0.5 * lambda * x[q] * x[q];
                        g[q] += lambda * x[q];
                    }
                    LinearOperator gn = (v, out) -> {
                        java.util.Arrays.fill(out, 0);
                        double[] jv = new double[classes];
                        for (int k = 0; k < m; k++) {
                            int i = indices[k];
                            for (int c = 0; c < classes; c++) {
                                jv[c] = v[classes * d + c];
                                for (int j = 0; j < d; j++) {
                                    jv[c] += v[c * d + j] * z[i][j];
                                }
                            }
                            double pjv = 0;
                            for (int c = 0; c < classes; c++) {
                                pjv += p[k][c] * jv[c];
                            }
                            for (int c = 0; c < classes; c++) {
                                double h = p[k][c] * (jv[c] - pjv) / m;
                                for (int j = 0; j < d; j++) {
                                    out[c * d + j] += h * z[i][j];
                                }
                                out[classes * d + c] += h;
                            }
                        }
                        for (int q = 0; q < n; q++) {
                            out[q] += lambda * v[q];
                        }
                    };
                    return Evaluation.of(value, g, gn);
                }
            };
        }
    }
}
