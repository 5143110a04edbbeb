package org.heatwave.multilevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.heatwave.block.Refinable;
import org.heatwave.kernels.Galerkin;
import org.heatwave.kernels.LinearStencilModel;
import org.heatwave.kernels.Rediscretisation;
import org.heatwave.kernels.StencilModel;
import org.heatwave.layer.FullClassifier;
import org.heatwave.layer.KernelSlot;
import org.heatwave.layer.Layer;
import org.heatwave.linalg.ConjugateGradient;
import org.heatwave.linalg.LinearOperator;
import org.heatwave.net.Network;

/**
 * Moves a trained network's parameters θ to the same network built for images of twice or half the size —
 * the prolongation and restriction of multilevel training (seeds 002 and 003: "θ^j ← prolongate θ*,
 * W^j ← prolongate W*"; seed 000 for the kernels):
 *
 * <ul>
 *   <li><b>kernels</b> ({@link Layer#kernels}): every {@code k × k} stencil ({@code k ≥ 3}) moved by
 *       {@link Kernels#GALERKIN} — to the coarse grid {@code K_H = R K_h P} ({@link Galerkin#kernel}); to the
 *       fine grid the unique stencil of the same size whose Galerkin coarse operator is {@code K_H} — or by
 *       {@link Kernels#REDISCRETISATION} — the same differential operator {@code β₁ + β₂∂x + … } re-evaluated
 *       on the other pixel size ({@link Rediscretisation#kernel}, 3×3) — or left {@link Kernels#UNCHANGED}.
 *       {@code 1×1} kernels (connectors, couplings) have no spatial extent and stay. A structured linear model
 *       ({@code K = mat(Qθ)}: antisymmetric, five-point, …) moves its full stencil and takes the least-squares
 *       parameters back ({@code min ‖Qθ' − K'‖}, conjugate gradients on {@code QᵀQ}); bilinear models
 *       (separable, lean) cannot be moved by a linear map of their parameters and are refused;</li>
 *   <li><b>the classifier</b>: a {@link FullClassifier}'s weights {@code W}, images of the final state's
 *       size (seed 001: {@code wᵀy ≈ ∫ w y}), are prolonged {@code W_h = ¼ P W_H} (bilinear) or restricted
 *       {@code W_H = 4 R W_h} (the sum over each 2×2 cell), so that {@code W y} keeps its value on smooth
 *       features (exactly, {@code W_H · R y = W_h · y} for {@code y} constant on 2×2 cells); the pooled head
 *       ({@code Affine} after global average pooling) does not depend on the resolution and is copied;</li>
 *   <li>everything else — biases, normalisation scales and shifts, running statistics, {@code 1×1}
 *       weights — is copied.</li>
 * </ul>
 *
 * Both networks must have the same layers in the same order; only the image size differs, by a factor of
 * two (each layer's grid is halved or doubled).
 */
public final class NetworkTransfer {

    /** How stencils move between resolutions. */
    public enum Kernels {
        /** {@code K_H = R K_h P} and its inverse on stencils of the same size (seed 000, algebraic). */
        GALERKIN,
        /** The same differential operator on the new pixel size (seed 000, rediscretisation; 3×3 only). */
        REDISCRETISATION,
        /** Stencils kept as they are (the naive transfer the seeds compare against). */
        UNCHANGED;

        /** @return the constant named by {@code name} ({@code galerkin | rediscretisation | unchanged}) */
        public static Kernels parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kernel transfer must be galerkin, rediscretisation or unchanged, got '"
                        + name + "'");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private NetworkTransfer() {
    }

    /**
     * θ of {@code from} moved to {@code to}.
     *
     * @throws IllegalArgumentException if the networks differ in anything but a factor of two in image size,
     *                                  or a kernel cannot be moved as asked (the layer is named)
     */
    public static double[] transfer(Network from, double[] theta, Network to, Kernels how) {
        if (theta.length != from.paramCount()) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, the network " + from.paramCount());
        }
        List<Layer> a = from.body().layers(), b = sameLayerCount(from, to);
        double[] out = new double[to.paramCount()];
        for (int i = 0; i < a.size(); i++) {
            Layer la = a.get(i), lb = b.get(i);
            int oa = from.body().offset(i), ob = to.body().offset(i);
            String where = "layer " + i + " (" + la.describe() + " -> " + lb.describe() + ")";
            if (la.getClass() != lb.getClass() || la.input().c() != lb.input().c() || la.output().c() != lb.output().c()) {
                throw new IllegalArgumentException(where + ": not the same layer");
            }
            int ratio = ratio(la.input().h(), lb.input().h(), where);
            if (ratio(la.input().w(), lb.input().w(), where) != ratio) {
                throw new IllegalArgumentException(where + ": height and width scale differently");
            }
            if (la instanceof FullClassifier fa) {
                transferClassifier(fa, theta, oa, (FullClassifier) lb, out, ob);
                continue;
            }
            if (la.paramCount() != lb.paramCount()) {
                throw new IllegalArgumentException(where + ": " + la.paramCount() + " vs " + lb.paramCount() + " parameters");
            }
            System.arraycopy(theta, oa, out, ob, la.paramCount());
            if (how == Kernels.UNCHANGED || ratio == 0) {
                continue;
            }
            List<KernelSlot> ka = new ArrayList<>(), kb = new ArrayList<>();
            la.kernels(oa, ka);
            lb.kernels(ob, kb);
            for (int s = 0; s < ka.size(); s++) {
                transferKernel(ka.get(s), theta, kb.get(s), out, how, where);
            }
        }
        return out;
    }

    /**
     * θ of {@code from} refined in depth for {@code to}, the same network on the same images with every block
     * on twice the steps of half the size (seed 002, "move between scales and add layers"): each
     * {@link Refinable} block's parameters interpolated in time ({@link Refinable#refineParameters}), every other
     * layer's copied.
     *
     * @throws IllegalArgumentException if a layer of {@code to} is not the refined layer of {@code from} (named)
     */
    public static double[] refineInDepth(Network from, double[] theta, Network to) {
        List<Layer> a = from.body().layers(), b = sameLayerCount(from, to);
        double[] out = new double[to.paramCount()];
        for (int i = 0; i < a.size(); i++) {
            Layer la = a.get(i), lb = b.get(i);
            int oa = from.body().offset(i), ob = to.body().offset(i);
            double[] moved;
            if (la instanceof Refinable r) {
                if (r.refined().paramCount() != lb.paramCount() || la.getClass() != lb.getClass()) {
                    throw new IllegalArgumentException("layer " + i + ": " + lb.describe() + " is not the refinement in depth of "
                            + la.describe());
                }
                moved = r.refineParameters(theta, oa);
            } else {
                if (la.paramCount() != lb.paramCount() || la.getClass() != lb.getClass()) {
                    throw new IllegalArgumentException("layer " + i + ": " + la.describe() + " vs " + lb.describe());
                }
                moved = java.util.Arrays.copyOfRange(theta, oa, oa + la.paramCount());
            }
            System.arraycopy(moved, 0, out, ob, moved.length);
        }
        return out;
    }

    /** {@code to}'s layers, after checking that there are as many as {@code from}'s. */
    private static List<Layer> sameLayerCount(Network from, Network to) {
        List<Layer> a = from.body().layers(), b = to.body().layers();
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("networks differ in depth: " + a.size() + " vs " + b.size() + " layers");
        }
        return b;
    }

    /** +1: to twice the size (prolong), −1: to half (restrict), 0: unchanged. */
    private static int ratio(int from, int to, String where) {
        if (to == from) {
            return 0;
        }
        if (to == 2 * from) {
            return 1;
        }
        if (2 * to == from) {
            return -1;
        }
        throw new IllegalArgumentException(where + ": images of " + from + " and " + to + " pixels are not a factor of 2 apart");
    }

    private static void transferKernel(KernelSlot a, double[] theta, KernelSlot b, double[] out, Kernels how, String where) {
        StencilModel model = a.model();
        int k = model.stencilSize();
        if (k == 1) {
            return;
        }
        boolean toCoarse = b.height() < a.height();
        int pairs = model.cout() * model.cin();
        double[] full;
        int fullOff;
        if (model.isFullStencil()) {
            full = theta;
            fullOff = a.offset();
        } else {
            full = new double[model.fullCount()];
            fullOff = 0;
            model.expand(theta, a.offset(), full);
        }
        double[] moved = switch (how) {
            case GALERKIN -> Galerkin.kernel(full, fullOff, pairs, k, toCoarse);
            case REDISCRETISATION -> {
                if (k != 3) {
                    throw new IllegalArgumentException(where + ": rediscretisation moves 3x3 stencils, this one is " + k + "x" + k
                            + "; use galerkin");
                }
                yield Rediscretisation.kernel(full, fullOff, pairs, a.height(), a.width(), b.height(), b.width());
            }
            case UNCHANGED -> throw new AssertionError();
        };
        if (model.isFullStencil()) {
            System.arraycopy(moved, 0, out, b.offset(), moved.length);
        } else if (model instanceof LinearStencilModel linear) {
            double[] p = leastSquares(linear, moved);
            System.arraycopy(p, 0, out, b.offset(), p.length);
        } else {
            throw new IllegalArgumentException(where + ": the " + model.describe() + " kernels are bilinear in their"
                    + " parameters and cannot be moved by " + how + "; use unchanged");
        }
    }

    /** The parameters θ' of a linear model with {@code ‖Q θ' − full‖} least: CG on {@code QᵀQ θ' = Qᵀ full}. */
    private static double[] leastSquares(LinearStencilModel model, double[] full) {
        int n = model.paramCount();
        double[] rhs = new double[n];
        model.expandAdjoint(new double[n], 0, full, rhs, 0);
        double[] tmp = new double[model.fullCount()];
        LinearOperator normal = (v, o) -> {
            model.expandTangent(null, 0, v, 0, tmp);
            java.util.Arrays.fill(o, 0);
            model.expandAdjoint(null, 0, tmp, o, 0);
        };
        double[] p = new ConjugateGradient(1e-12, 10 * n).solve(normal, rhs).x();
        model.project(p, 0);
        return p;
    }

    /** {@code W_h = ¼ P W_H} or {@code W_H = 4 R W_h}, per class and channel; μ copied. */
    private static void transferClassifier(FullClassifier a, double[] theta, int oa, FullClassifier b, double[] out, int ob) {
        int ha = a.input().h(), wa = a.input().w(), hb = b.input().h(), wb = b.input().w();
        int planes = a.weightCount() / (ha * wa);
        double[] plane = new double[ha * wa];
        for (int q = 0; q < planes; q++) {
            System.arraycopy(theta, oa + q * ha * wa, plane, 0, ha * wa);
            double[] moved;
            double scale;
            if (hb == ha) {
                moved = plane;
                scale = 1;
            } else if (hb > ha) {
                moved = GridTransfer.interpolate(plane, ha, wa);
                scale = 0.25;
            } else {
                moved = GridTransfer.average(plane, ha, wa);
                scale = 4;
            }
            for (int p = 0; p < hb * wb; p++) {
                out[ob + q * hb * wb + p] = scale * moved[p];
            }
        }
        int classes = a.output().c();
        System.arraycopy(theta, oa + a.weightCount(), out, ob + b.weightCount(), classes);
    }
}
