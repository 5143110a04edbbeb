package org.heatwave.linalg;

import java.io.Serializable;

/**
 * A vector of exact, order-independent sums of float64 terms: reproducible summation by fixed point.
 *
 * <p>Each term {@code d} is rounded once — deterministically, as a pure function of {@code d} — to a
 * multiple of {@code 2⁻⁷²}, held as two integers: {@code d ≈ h·2⁻²⁰ + l·2⁻⁷²} with
 * {@code h = trunc(d·2²⁰)} and {@code l = trunc((d·2²⁰ − h)·2⁵²)} (both steps exact in float64 but the
 * final truncation, so {@code |d − h·2⁻²⁰ − l·2⁻⁷²| < 2⁻⁷²}). From then on sums are integer sums, which are
 * associative and commutative: <em>any</em> grouping of the terms into partial sums, in any order, gives
 * the same bits. That is what makes a distributed gradient independent of the partitioning, the order in
 * which tasks finish and the shape of the aggregation tree (DESIGN.md §3; the fixed-point variant of the
 * reproducible summation of Demmel &amp; Nguyen, "Parallel reproducible summation", IEEE TC 2015).
 *
 * <p>Range and resolution: sums up to {@code 2⁴²} in magnitude (about 4.4·10¹²) at an absolute
 * resolution of {@code 2⁻⁷² ≈ 2·10⁻²²} — for a gradient component of 10⁻⁶ that is 16 significant digits.
 * A non-finite term, or terms whose magnitudes add up beyond the range, make every sum NaN ({@link
 * #finite()} false): the caller's divergence check then sees them, never a wrapped-around integer.
 *
 * <p>Cost: a few instructions per term (two multiplications, two conversions, two integer additions); the
 * low words are carried into the high ones every {@value #CARRY_INTERVAL} additions.
 */
public final class ExactSums implements Serializable {
    private static final long serialVersionUID = 1L;
    /** {@code 2²⁰}: the high word counts units of {@code 2⁻²⁰}. */
    private static final double HIGH_SCALE = 0x1p20;
    /** {@code 2⁵²}: the low word counts units of {@code 2⁻⁷²}. */
    private static final double LOW_SCALE = 0x1p52;
    private static final int LOW_BITS = 52;
    /** Largest magnitude a sum may reach: {@code 2⁴²}, leaving the high words headroom below {@code 2⁶³}. */
    public static final double LIMIT = 0x1p42;
    /** Additions per vector between carries; each adds less than {@code 2⁵²} to a low word. */
    static final int CARRY_INTERVAL = 1 << 10;

    private final long[] high;
    private final long[] low;
    private int sinceCarry;
    /** Upper bound of {@code Σ max|term|} over all additions: a sum can only overflow past it. */
    private double magnitude;

    /** {@code length} sums, all zero. */
    public ExactSums(int length) {
        high = new long[length];
        low = new long[length];
    }

    public int length() {
        return high.length;
    }

    /** Adds {@code terms[i]} to sum {@code i} for every {@code i}. Reads {@code terms}; does not keep it. */
    public void add(double[] terms) {
        if (terms.length != high.length) {
            throw new IllegalArgumentException("adding " + terms.length + " terms to " + high.length + " sums");
        }
        add(terms, 0, 0, terms.length);
    }

    /**
     * Adds {@code terms[from + k]} to sum {@code offset + k} for {@code k < count}. Reads {@code terms}; does not
     * keep it.
     */
    public void add(double[] terms, int from, int offset, int count) {
        if (from < 0 || offset < 0 || count < 0 || from + count > terms.length || offset + count > high.length) {
            throw new IllegalArgumentException("adding terms [" + from + ", " + (from + count) + ") of " + terms.length
                    + " to sums [" + offset + ", " + (offset + count) + ") of " + high.length);
        }
        if (sinceCarry >= CARRY_INTERVAL) {
            carry();
        }
        double max = 0;
        for (int k = 0; k < count; k++) {
            double d = terms[from + k];
            max = Math.max(max, Math.abs(d)); // NaN propagates: Math.max(x, NaN) is NaN
            double a = d * HIGH_SCALE;
            long h = (long) a;
            high[offset + k] += h;
            low[offset + k] += (long) ((a - h) * LOW_SCALE);
        }
        magnitude += max;
        sinceCarry++;
    }

    /** Adds {@code term} to sum {@code i}. */
    public void add(int i, double term) {
        add(new double[] {term}, 0, i, 1);
    }

    /** {@code this += other}, sum by sum; returns this. {@code other} is left unchanged. */
    public ExactSums merge(ExactSums other) {
        if (other.high.length != high.length) {
            throw new IllegalArgumentException("merging " + other.high.length + " sums into " + high.length);
        }
        carry();
        for (int i = 0; i < high.length; i++) {
            long l = other.low[i];
            long c = l >> LOW_BITS; // other's low words may be un-carried: split them here
            high[i] += other.high[i] + c;
            low[i] += l - (c << LOW_BITS);
        }
        magnitude += other.magnitude;
        sinceCarry = 1;
        return this;
    }

    /** Whether every term was finite and no sum can have left the range {@link #LIMIT}. */
    public boolean finite() {
        return magnitude < LIMIT; // false for NaN and +Inf
    }

    /** Sum {@code i} as the nearest float64 (NaN if not {@link #finite()}). */
    public double get(int i) {
        if (!finite()) {
            return Double.NaN;
        }
        long l = low[i];
        long c = l >> LOW_BITS;
        return (high[i] + c) / HIGH_SCALE + (l - (c << LOW_BITS)) / 0x1p72;
    }

    /** All sums as float64 (each as {@link #get}). */
    public double[] toDoubles() {
        double[] out = new double[high.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Sums {@code [offset, offset + count)} as float64, a new array. */
    public double[] toDoubles(int offset, int count) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            out[k] = get(offset + k);
        }
        return out;
    }

    /** Moves every low word's whole multiples of {@code 2⁵²} into its high word: {@code 0 ≤ low < 2⁵²} after. */
    private void carry() {
        for (int i = 0; i < high.length; i++) {
            long c = low[i] >> LOW_BITS;
            high[i] += c;
            low[i] -= c << LOW_BITS;
        }
        sinceCarry = 0;
    }

    /** Whether both hold the same sums (the integers, not their float64 rounding). */
    public boolean sameSums(ExactSums other) {
        if (other.high.length != high.length || finite() != other.finite()) {
            return false;
        }
        for (int i = 0; i < high.length; i++) {
            long a = low[i] >> LOW_BITS, b = other.low[i] >> LOW_BITS;
            if (high[i] + a != other.high[i] + b || low[i] - (a << LOW_BITS) != other.low[i] - (b << LOW_BITS)) {
                return false;
            }
        }
        return true;
    }
}
