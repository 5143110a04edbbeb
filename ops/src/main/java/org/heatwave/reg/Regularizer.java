package org.heatwave.reg;

/** A regulariser {@code R(θ)} on the flat parameter vector, with its exact gradient. */
public interface Regularizer {

    /** What it is, with its weight, for logs. */
    String describe();

    /** Adds {@code ∇R(θ)} to {@code grad} and returns {@code R(θ)}. */
    double addGradient(double[] theta, double[] grad);

    /**
     * Adds {@code ∇²R(θ) v} to {@code out}: the regulariser's part of a Gauss–Newton operator (issue 5). Every
     * regulariser here is convex, so the product is positive semi-definite.
     */
    void addHessianProduct(double[] theta, double[] v, double[] out);
}
