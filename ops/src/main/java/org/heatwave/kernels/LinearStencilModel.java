package org.heatwave.kernels;

import java.util.Arrays;
import org.heatwave.conv.Stencil;

/**
 * A linear stencil model {@code K(θ) = mat(Qθ)} (seed 001) with {@code Q} stored as a sparse list of
 * entries {@code full[row] += coefficient · θ[column]}: {@code expand} multiplies by {@code Q},
 * {@code expandAdjoint} by {@code Qᵀ}, from the same list, so the two can never disagree. Instances are
 * built by the factories in {@link StencilModels}.
 */
public final class LinearStencilModel implements StencilModel {
    /** The name of the identity model, {@link StencilModels#full}. */
    static final String FULL = "full";

    private final String name;
    private final int cout;
    private final int cin;
    private final int k;
    private final int params;
    private final int[] rows;
    private final int[] columns;
    private final double[] coefficients;
    private final boolean nonNegative;

    LinearStencilModel(String name, int cout, int cin, int k, int params, Builder q, boolean nonNegative) {
        this.name = name;
        this.cout = cout;
        this.cin = cin;
        this.k = k;
        this.params = params;
        this.rows = Arrays.copyOf(q.rows, q.size);
        this.columns = Arrays.copyOf(q.columns, q.size);
        this.coefficients = Arrays.copyOf(q.coefficients, q.size);
        this.nonNegative = nonNegative;
    }

    @Override
    public int cout() {
        return cout;
    }

    @Override
    public int cin() {
        return cin;
    }

    @Override
    public int stencilSize() {
        return k;
    }

    @Override
    public int paramCount() {
        return params;
    }

    @Override
    public void expand(double[] theta, int off, double[] full) {
        requireFull(full);
        Arrays.fill(full, 0, fullCount(), 0);
        for (int e = 0; e < rows.length; e++) {
            full[rows[e]] += coefficients[e] * theta[off + columns[e]];
        }
    }

    @Override
    public void expandTangent(double[] theta, int off, double[] dtheta, int dOff, double[] dfull) {
        expand(dtheta, dOff, dfull);
    }

    @Override
    public void expandAdjoint(double[] theta, int off, double[] gFull, double[] grad, int gOff) {
        requireFull(gFull);
        for (int e = 0; e < rows.length; e++) {
            grad[gOff + columns[e]] += coefficients[e] * gFull[rows[e]];
        }
    }

    @Override
    public boolean isFullStencil() {
        return FULL.equals(name);
    }

    /** Clamps θ to θ ≥ 0 for models that require it (the M-matrix model); otherwise nothing. */
    @Override
    public void project(double[] theta, int off) {
        if (nonNegative) {
            for (int i = 0; i < params; i++) {
                theta[off + i] = Math.max(0, theta[off + i]);
            }
        }
    }

    /** {@code Q} as a dense {@code fullCount × paramCount} matrix (for tests and small inspections). */
    public double[][] dense() {
        double[][] q = new double[fullCount()][params];
        for (int e = 0; e < rows.length; e++) {
            q[rows[e]][columns[e]] += coefficients[e];
        }
        return q;
    }

    @Override
    public String describe() {
        return name + " " + cout + "<-" + cin + " " + k + "x" + k;
    }

    private void requireFull(double[] full) {
        if (full.length < fullCount()) {
            throw new IllegalArgumentException(describe() + ": full stencil needs " + fullCount() + " entries, got " + full.length);
        }
    }

    /** Accumulates the entries of {@code Q}. */
    static final class Builder {
        private int[] rows = new int[16];
        private int[] columns = new int[16];
        private double[] coefficients = new double[16];
        private int size;
        private final int cin;
        private final int k;

        Builder(int cin, int k) {
            this.cin = cin;
            this.k = k;
        }

        /** {@code θ_full[o][c][dy][dx] += coefficient · θ[column]}. */
        Builder add(int o, int c, int dy, int dx, int column, double coefficient) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, 2 * size);
                columns = Arrays.copyOf(columns, 2 * size);
                coefficients = Arrays.copyOf(coefficients, 2 * size);
            }
            rows[size] = Stencil.index(cin, k, o, c, dy, dx);
            columns[size] = column;
            coefficients[size] = coefficient;
            size++;
            return this;
        }
    }
}
