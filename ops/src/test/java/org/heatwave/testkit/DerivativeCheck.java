package org.heatwave.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.heatwave.layer.Geometry;
import org.heatwave.layer.Layer;
import org.heatwave.tensor.FeatureMap;

/**
 * The shared derivative test kit (DESIGN.md §5), for every {@link Layer}, block and network:
 *
 * <ul>
 *   <li><b>Taylor test</b> of {@code φ(θ, Y) = ⟨W, F(θ, Y)⟩} along a random direction {@code v}: the
 *       linearised error {@code |φ(x+εv) − φ(x) − ε ∇φ·v|} is O(ε²) with {@code ∇φ} from the adjoint
 *       pass. Judged strictly: in the asymptotic window — every halving of ε from one of the first
 *       {@value #MAX_WINDOW_START} down to the float32 noise floor — <em>every</em> halving must show order
 *       ≥ {@value #MIN_ORDER}, over at least {@value #MIN_WINDOW} halvings. The same test for the vector linearisation
 *       {@code ‖F(x+εv) − F(x) − ε J v‖} checks the tangent pass, and a central difference must agree
 *       with {@code ∇φ·v}.</li>
 *   <li><b>Adjoint test</b>: {@code ⟨W, J v⟩ = ⟨Jᵀ W, v⟩} to {@value #ADJOINT_TOL} relative.</li>
 *   <li><b>Dense check</b> (tiny sizes): the full Jacobian built column by column from the tangent pass
 *       equals the one built row by row from the adjoint pass, and central differences.</li>
 * </ul>
 *
 * Unlike Meganet.m's lax rule, a Jacobian with a 1 % error fails here: its linearised error stalls at
 * order 1 long before the noise floor.
 */
public final class DerivativeCheck {
    /** Minimum observed order of every halving in the asymptotic window. */
    public static final double MIN_ORDER = 1.8;
    /** Minimum number of halvings in the asymptotic window. */
    public static final int MIN_WINDOW = 3;
    /** The window must start at one of the first halvings. */
    public static final int MAX_WINDOW_START = 4;
    /** Relative tolerance of the adjoint (dot-product) test in float32. */
    public static final double ADJOINT_TOL = 1e-4;
    /** Relative tolerance of the central difference against the adjoint directional derivative. */
    public static final double CENTRAL_TOL = 2e-3;
    private static final int HALVINGS = 14;
    /** The float32 noise floor, in units of the size of the summed terms. */
    private static final double NOISE = 8 * Math.ulp(1f);
    /** Errors within this factor of the noise floor are not judged. */
    private static final double FLOOR_MARGIN = 4;

    private final Layer layer;
    private final int n;
    private final double[] theta;
    private final FeatureMap x;
    private final FeatureMap w;
    private final long seed;

    /**
     * A fixture: {@code n} examples of random normal input, the layer's initial parameters plus a random
     * perturbation (so that no parameter sits at a special value like a unit scale), and a random
     * cotangent.
     */
    public DerivativeCheck(Layer layer, int n, long seed) {
        this.layer = layer;
        this.n = n;
        this.seed = seed;
        Geometry in = layer.input(), out = layer.output();
        this.theta = new double[layer.paramCount()];
        layer.init(theta, 0, new SplittableRandom(seed));
        double[] pert = Fixtures.normal(theta.length, 0.1, seed + 1);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += pert[i];
        }
        this.x = Fixtures.normal(in.h(), in.w(), n, in.c(), seed + 2);
        this.w = Fixtures.normal(out.h(), out.w(), n, out.c(), seed + 3);
    }

    /** Runs every check of the kit (for maps that are smooth at the fixture). */
    public void all() {
        taylor();
        adjoint();
        inference();
        keptTrace();
    }

    /**
     * A trace serves any number of derivative passes ({@link Layer.Trace}): tangent and adjoint passes run twice on one
     * trace give the bits of those on a fresh forward pass (no pass writes into the trace); and the trace's
     * {@link Layer.Trace#bytes} are the bytes it keeps ({@link Retained}, its input and the binding excluded).
     */
    public void keptTrace() {
        double[] dTheta = Fixtures.normal(theta.length, 1, seed + 8);
        FeatureMap dx = Fixtures.normal(x.h(), x.w(), n, x.c(), seed + 9);
        Layer.Bound b = layer.bind(theta, 0);
        Layer.Trace kept = b.forward(x);
        String what = layer.describe();
        org.junit.jupiter.api.Assertions.assertEquals(Retained.bytes(kept, x, b), kept.bytes(), what + ": trace bytes");
        for (int i = 0; i < 2; i++) {
            Layer.Trace fresh = b.forward(x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.jvp(fresh, dTheta, 0, dx).data(),
                    b.jvp(kept, dTheta, 0, dx).data(), what + ": tangent pass on a kept trace, pass " + i);
            double[] gFresh = new double[theta.length];
            double[] gKept = new double[theta.length];
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.vjp(fresh, w, gFresh, 0).data(),
                    b.vjp(kept, w, gKept, 0).data(), what + ": adjoint pass on a kept trace, pass " + i);
            org.junit.jupiter.api.Assertions.assertArrayEquals(gFresh, gKept, what + ": gradient on a kept trace, pass " + i);
        }
    }

    /**
     * The trace-free forward pass ({@link Layer.Bound#infer}) gives the forward pass's output bit for bit, for the
     * training and the inference binding, twice in a row (buffers reused within a call leave nothing behind).
     */
    public void inference() {
        for (Layer.Bound bound : List.of(layer.bind(theta, 0), layer.bindForInference(theta, 0))) {
            float[] expected = bound.forward(x).output().data();
            for (int i = 0; i < 2; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, bound.infer(x).data(),
                        layer.describe() + ": infer differs from forward");
            }
        }
    }

    /**
     * The checks that hold for piecewise-smooth maps (ReLU): the adjoint test and the central difference.
     * Their Taylor remainder is only O(ε^1.5) — a kink crossed by O(ε) of the pixels — so the strict order
     * rule does not apply; smooth configurations of the same layer take {@link #all()}.
     */
    public void piecewiseSmooth() {
        adjoint();
        centralDifference(1e-3, 1e-2);
        inference();
        keptTrace();
    }

    private FeatureMap apply(double[] th, FeatureMap in) {
        return layer.bind(th, 0).forward(in).output();
    }

    private static FeatureMap axpy(FeatureMap base, double eps, FeatureMap dir) {
        FeatureMap r = base.copy();
        float[] d = r.data(), v = dir.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] + eps * v[i]);
        }
        return r;
    }

    private static double[] axpy(double[] base, double eps, double[] dir) {
        double[] r = base.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += eps * dir[i];
        }
        return r;
    }

    /** The Taylor tests of the adjoint gradient and of the tangent pass, with a central difference. */
    public void taylor() {
        double[] dTheta = Fixtures.normal(theta.length, 1, seed + 4);
        FeatureMap dx = Fixtures.normal(x.h(), x.w(), n, x.c(), seed + 5);
        scaleToMatch(dTheta, dx);
        Layer.Bound b = layer.bind(theta, 0);
        Layer.Trace tr = b.forward(x);
        FeatureMap f0 = tr.output();
        double[] gTheta = new double[theta.length];
        FeatureMap gX = b.vjp(tr, w, gTheta, 0);
        double slope = Fixtures.dot(gTheta, dTheta) + Fixtures.dot(gX.data(), dx.data());
        FeatureMap jv = b.jvp(tr, dTheta, 0, dx);
        double phi0 = Fixtures.dot(w.data(), f0.data());
        double scale = rmsDot(w.data(), f0.data()) + 1e-30;
        double vecScale = norm(f0.data()) + 1e-30;

        double eps0 = 0.125;
        double[] e1 = new double[HALVINGS + 1];
        double[] v1 = new double[HALVINGS + 1];
        for (int k = 0; k <= HALVINGS; k++) {
            double eps = eps0 / (1 << k);
            FeatureMap fe = apply(axpy(theta, eps, dTheta), axpy(x, eps, dx));
            double phi = Fixtures.dot(w.data(), fe.data());
            e1[k] = Math.abs(phi - phi0 - eps * slope);
            double s = 0;
            float[] a = fe.data(), c = f0.data(), j = jv.data();
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - c[i] - eps * j[i];
                s += d * d;
            }
            v1[k] = Math.sqrt(s);
        }
        String what = layer.describe();
        assertSecondOrder(e1, NOISE * scale, what + ": adjoint gradient ⟨W, F⟩");
        assertSecondOrder(v1, NOISE * vecScale, what + ": tangent pass J v");

        centralDifference(1e-2, CENTRAL_TOL);
    }

    /** A central difference of {@code ⟨W, F⟩} agrees with the adjoint directional derivative. */
    void centralDifference(double eps, double tol) {
        double[] dTheta = Fixtures.normal(theta.length, 1, seed + 4);
        FeatureMap dx = Fixtures.normal(x.h(), x.w(), n, x.c(), seed + 5);
        scaleToMatch(dTheta, dx);
        Layer.Bound b = layer.bind(theta, 0);
        Layer.Trace tr = b.forward(x);
        double[] gTheta = new double[theta.length];
        FeatureMap gX = b.vjp(tr, w, gTheta, 0);
        double slope = Fixtures.dot(gTheta, dTheta) + Fixtures.dot(gX.data(), dx.data());
        double scale = rmsDot(w.data(), tr.output().data()) + 1e-30;
        double pPlus = Fixtures.dot(w.data(), apply(axpy(theta, eps, dTheta), axpy(x, eps, dx)).data());
        double pMinus = Fixtures.dot(w.data(), apply(axpy(theta, -eps, dTheta), axpy(x, -eps, dx)).data());
        double central = (pPlus - pMinus) / (2 * eps);
        double err = Math.abs(central - slope) / (Math.abs(slope) + NOISE * scale / eps);
        assertTrue(err < tol, String.format(Locale.ROOT,
                "%s: central difference %.8g vs adjoint directional derivative %.8g (relative error %.2e)",
                layer.describe(), central, slope, err));
    }

    /**
     * Asserts the strict order rule on errors {@code e[k]} at {@code ε0/2^k}.
     */
    static void assertSecondOrder(double[] e, double floor, String what) {
        List<String> table = new ArrayList<>();
        double[] order = new double[e.length - 1];
        int last = -1; // the last halving whose both ends lie above the noise floor
        for (int k = 0; k < e.length - 1; k++) {
            order[k] = Math.log(e[k] / e[k + 1]) / Math.log(2);
            boolean aboveFloor = e[k + 1] > FLOOR_MARGIN * floor;
            table.add(String.format(Locale.ROOT, "k=%d eps/%d e=%.3e order=%.2f%s", k, 1 << (k + 1), e[k + 1], order[k],
                    aboveFloor ? "" : " (noise)"));
            if (!aboveFloor) {
                break;
            }
            last = k;
        }
        if (e[0] <= FLOOR_MARGIN * floor) {
            return; // the map is (numerically) linear along v: nothing left to linearise
        }
        // the asymptotic window: the run of halvings that ends at the noise floor, all of order >= MIN_ORDER
        int start = last + 1;
        while (start > 0 && order[start - 1] >= MIN_ORDER) {
            start--;
        }
        int length = last - start + 1;
        assertTrue(length >= MIN_WINDOW && start < MAX_WINDOW_START, what + ": the halvings down to the noise floor"
                + " must all show order >= " + MIN_ORDER + " from one of the first " + MAX_WINDOW_START
                + " on, over at least " + MIN_WINDOW + " halvings; the window found starts at " + start + " and holds "
                + Math.max(0, length) + "\n" + String.join("\n", table));
    }

    /** The dot-product test of the adjoint pass against the tangent pass. */
    public void adjoint() {
        double[] dTheta = Fixtures.normal(theta.length, 1, seed + 6);
        FeatureMap dx = Fixtures.normal(x.h(), x.w(), n, x.c(), seed + 7);
        Layer.Bound b = layer.bind(theta, 0);
        Layer.Trace tr = b.forward(x);
        FeatureMap jv = b.jvp(tr, dTheta, 0, dx);
        double[] gTheta = new double[theta.length];
        FeatureMap gX = b.vjp(tr, w, gTheta, 0);
        double lhs = Fixtures.dot(w.data(), jv.data());
        double rhs = Fixtures.dot(gTheta, dTheta) + Fixtures.dot(gX.data(), dx.data());
        double scale = absDot(w.data(), jv.data()) + 1e-30;
        double err = Math.abs(lhs - rhs) / scale;
        assertTrue(err < ADJOINT_TOL, String.format(Locale.ROOT,
                "%s: ⟨W, J v⟩ = %.8g but ⟨Jᵀ W, v⟩ = %.8g (relative %.2e)", layer.describe(), lhs, rhs, err));
    }

    /**
     * The dense check for tiny layers: the Jacobian from tangent passes (columns) equals the one from
     * adjoint passes (rows) and central differences.
     */
    public void dense() {
        int nIn = x.data().length, nTheta = theta.length;
        Layer.Bound b = layer.bind(theta, 0);
        Layer.Trace tr = b.forward(x);
        int nOut = tr.output().data().length;
        if ((long) nOut * (nIn + nTheta) > 2_000_000) {
            throw new IllegalArgumentException("dense check is for tiny layers; this one has " + nOut + "x" + (nIn + nTheta));
        }
        double[][] byJvp = new double[nOut][nIn + nTheta];
        double[][] byFd = new double[nOut][nIn + nTheta];
        double eps = 1e-2;
        for (int col = 0; col < nIn + nTheta; col++) {
            double[] dTheta = new double[nTheta];
            FeatureMap dx = x.zerosLike();
            if (col < nIn) {
                dx.data()[col] = 1;
            } else {
                dTheta[col - nIn] = 1;
            }
            float[] jc = b.jvp(tr, dTheta, 0, dx).data();
            float[] plus = apply(axpy(theta, eps, dTheta), axpy(x, eps, dx)).data();
            float[] minus = apply(axpy(theta, -eps, dTheta), axpy(x, -eps, dx)).data();
            for (int r = 0; r < nOut; r++) {
                byJvp[r][col] = jc[r];
                byFd[r][col] = ((double) plus[r] - minus[r]) / (2 * eps);
            }
        }
        double max = 0, adjErr = 0, fdErr = 0;
        for (int r = 0; r < nOut; r++) {
            FeatureMap e = tr.output().zerosLike();
            e.data()[r] = 1;
            double[] gTheta = new double[nTheta];
            float[] gx = b.vjp(tr, e, gTheta, 0).data();
            for (int col = 0; col < nIn + nTheta; col++) {
                double row = col < nIn ? gx[col] : gTheta[col - nIn];
                max = Math.max(max, Math.abs(byJvp[r][col]));
                adjErr = Math.max(adjErr, Math.abs(row - byJvp[r][col]));
                fdErr = Math.max(fdErr, Math.abs(byFd[r][col] - byJvp[r][col]));
            }
        }
        String what = layer.describe();
        assertTrue(adjErr <= 1e-4 * max, what + ": dense Jacobians from tangent and adjoint passes differ by " + adjErr + " (max entry " + max + ")");
        assertTrue(fdErr <= 5e-3 * max, what + ": dense Jacobian differs from central differences by " + fdErr + " (max entry " + max + ")");
    }

    private void scaleToMatch(double[] dTheta, FeatureMap dx) {
        // directions of unit size per entry relative to the point, so that ε is a relative step
        double tn = Math.sqrt(Fixtures.dot(theta, theta) / Math.max(1, theta.length));
        for (int i = 0; i < dTheta.length; i++) {
            dTheta[i] *= 0.2 * Math.max(tn, 1e-3);
        }
        float[] d = dx.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= 0.2f;
        }
    }

    private static double absDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((double) a[i] * b[i]);
        }
        return s;
    }

    /**
     * {@code √Σ (a_i b_i)²}: the size of float32 rounding in {@code Σ a_i b_i} in ulps, since the rounding
     * errors of the terms add like random signs.
     */
    private static double rmsDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = (double) a[i] * b[i];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
