package org.heatwave.tensor;

/**
 * The shape of a batch of multichannel images: {@code n} examples, {@code c} channels, {@code h × w} pixels.
 *
 * @param n number of examples
 * @param c number of channels
 * @param h image height in pixels
 * @param w image width in pixels
 */
public record Shape(int n, int c, int h, int w) {

    public Shape {
        if (n < 0 || c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("invalid shape " + n + "x" + c + "x" + h + "x" + w);
        }
    }

    /** Number of pixels of one image plane. */
    public int pixels() {
        return h * w;
    }

    /** Number of scalars in the whole batch. */
    public long size() {
        return (long) n * c * h * w;
    }

    /** The same image geometry with another number of examples. */
    public Shape withN(int newN) {
        return new Shape(newN, c, h, w);
    }

    @Override
    public String toString() {
        return n + "x" + c + "x" + h + "x" + w;
    }
}
