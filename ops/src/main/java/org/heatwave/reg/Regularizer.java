package org.heatwave.reg;

/** A regulariser {@code R(θ)} on the flat parameter vector, with its exact gradient. */
public interface Regularizer {

    /** What it is, with its weight, for logs. */
    String describe();

    /** Adds {@code ∇R(θ)} to {@code grad} and returns {@code R(θ)}. */
    double addGradient(double[] theta, double[] grad);
}
