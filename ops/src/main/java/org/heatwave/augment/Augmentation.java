package org.heatwave.augment;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.heatwave.conv.Boundary;
import org.heatwave.tensor.Batch;
import org.heatwave.tensor.Shape;

/**
 * Data augmentation and label smoothing for training a classifier: on data pass {@code p}, example {@code i} is
 * seen as {@code x̃ᵢ = T_{p,i} xᵢ} with the smoothed target {@code q = (1 − ε) e_{yᵢ} + ε/k · 1} (Szegedy et al.,
 * "Rethinking the Inception architecture", 2016). The transform {@code T_{p,i}} is drawn from
 * {@code (seed, p, i)} alone:
 * <ul>
 *   <li>a mirror image {@code x(y, w−1−x)} with probability ½ when {@link #flip} is on — for data whose classes are
 *       symmetric under left–right reflection (clothing, natural images; not digits or text);</li>
 *   <li>then a translation by {@code (dy, dx)}, each uniform in {@code −shift … shift}: {@code x̃(y, x) =
 *       x(y − dy, x − dx)}. What enters at the edge follows the network's boundary condition: with
 *       {@link Boundary#PERIODIC} the image wraps around (the convolutions see a periodic image anyway, so a
 *       circular shift is a symmetry of every convolution layer); with {@link Boundary#ZERO} zeros enter.</li>
 * </ul>
 * Because the draw depends on the global example index and not on where or with what the example is processed,
 * an augmented run gives the same bits under any partitioning, shard layout, retried task or resumed driver.
 * Evaluation never augments: test losses are the plain cross-entropy of the untransformed images.
 *
 * @param shift          largest translation in pixels, per axis ({@code ≥ 0}; 0: none)
 * @param flip           whether to mirror half of the images left–right
 * @param boundary       what a translation brings in at the edges
 * @param labelSmoothing {@code ε ∈ [0, 1)}
 * @param seed           the run's seed
 */
public record Augmentation(int shift, boolean flip, Boundary boundary, double labelSmoothing, long seed)
        implements Serializable {

    /** Training on the examples as they are. */
    public static final Augmentation NONE = new Augmentation(0, false, Boundary.PERIODIC, 0, 0);

    public Augmentation {
        if (shift < 0) {
            throw new IllegalArgumentException("the largest shift must be >= 0 pixels, got " + shift);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (boundary == null) {
            throw new IllegalArgumentException("the boundary condition is missing");
        }
    }

    /** Whether any image is transformed (a shift or a flip); label smoothing alone transforms none. */
    public boolean transformsImages() {
        return shift > 0 || flip;
    }

    /** Whether training sees the examples as they are: no image transformed, no smoothing. */
    public boolean isIdentity() {
        return !transformsImages() && labelSmoothing == 0;
    }

    /** E.g. {@code "random shifts up to 1 px (periodic) · left-right mirror images · label smoothing 0.1"}; "none". */
    public String describe() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (shift > 0) {
            parts.add("random shifts up to " + shift + " px (" + boundary.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (flip) {
            parts.add("left-right mirror images");
        }
        if (labelSmoothing > 0) {
            parts.add("label smoothing " + labelSmoothing);
        }
        return parts.isEmpty() ? "none" : String.join(" · ", parts);
    }

    /** The same label smoothing, with no image transformed: how evaluations that are not a data pass see the examples. */
    public Augmentation withoutImageTransforms() {
        return transformsImages() ? new Augmentation(0, false, boundary, labelSmoothing, seed) : this;
    }

    /** One example's transform on one pass: mirror first (if {@code flip}), then translate by {@code (dy, dx)}. */
    public record Transform(int dy, int dx, boolean flip) {
        static final Transform IDENTITY = new Transform(0, 0, false);

        boolean isIdentity() {
            return dy == 0 && dx == 0 && !flip;
        }
    }

    /** The transform of example {@code example} on data pass {@code pass}: a function of the seed, the pass and the example. */
    public Transform transform(long pass, int example) {
        if (!transformsImages()) {
            return Transform.IDENTITY;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ pass * 0xBF58476D1CE4E5B9L
                ^ example * 0x94D049BB133111EBL ^ 0x6A09E667F3BCC909L);
        boolean mirror = flip && r.nextBoolean();
        int dy = shift == 0 ? 0 : r.nextInt(-shift, shift + 1);
        int dx = shift == 0 ? 0 : r.nextInt(-shift, shift + 1);
        return new Transform(dy, dx, mirror);
    }

    /**
     * Transforms the images of {@code images} in place: image {@code k} is example {@code examples[from + k]}, seen on
     * data pass {@code pass}. Does nothing when no image is transformed.
     */
    public void apply(Batch images, int[] examples, int from, long pass) {
        if (!transformsImages()) {
            return;
        }
        Shape s = images.shape();
        int h = s.h(), w = s.w(), plane = h * w;
        float[] data = images.data();
        float[] scratch = new float[plane];
        for (int k = 0; k < s.n(); k++) {
            Transform t = transform(pass, examples[from + k]);
            if (t.isIdentity()) {
                continue;
            }
            for (int ch = 0; ch < s.c(); ch++) {
                int base = (k * s.c() + ch) * plane;
                System.arraycopy(data, base, scratch, 0, plane);
                transformPlane(scratch, data, base, h, w, t);
            }
        }
    }

    /** Writes {@code T in} into {@code out[base …]}: {@code out(y, x) = in'(y − dy, x − dx)}, {@code in'} mirrored if asked. */
    private void transformPlane(float[] in, float[] out, int base, int h, int w, Transform t) {
        boolean periodic = boundary == Boundary.PERIODIC;
        for (int y = 0; y < h; y++) {
            int sy = y - t.dy();
            if (periodic) {
                sy = Math.floorMod(sy, h);
            } else if (sy < 0 || sy >= h) {
                java.util.Arrays.fill(out, base + y * w, base + (y + 1) * w, 0f);
                continue;
            }
            int row = sy * w;
            for (int x = 0; x < w; x++) {
                int sx = x - t.dx();
                if (periodic) {
                    sx = Math.floorMod(sx, w);
                } else if (sx < 0 || sx >= w) {
                    out[base + y * w + x] = 0f;
                    continue;
                }
                out[base + y * w + x] = in[row + (t.flip() ? w - 1 - sx : sx)];
            }
        }
    }
}
