package org.heatwave.layer;

import org.heatwave.tensor.FeatureMap;

/**
 * {@code f(Y) = Y}: the velocity term of the leapfrog scheme written as a Verlet pair
 * ({@code V⁺ = V − h S(Y)}, {@code Y⁺ = Y + h V⁺}). No parameters.
 */
public final class Identity extends ParameterFreeLayer {

    public Identity(Geometry g) {
        super(g, g, new Bound() {
            @Override
            public Trace forward(FeatureMap y) {
                return new Tr(y);
            }

            @Override
            public FeatureMap vjp(Trace trace, FeatureMap w, double[] grad, int off) {
                return w;
            }

            @Override
            public FeatureMap jvp(Trace trace, double[] dTheta, int off, FeatureMap dy) {
                return dy;
            }
        });
    }

    /** Keeps nothing of its own: its output is its input. */
    private record Tr(FeatureMap output) implements Trace {
        @Override
        public long bytes() {
            return 0;
        }
    }

    @Override
    public String describe() {
        return "identity " + input().c() + "ch " + input().h() + "x" + input().w();
    }
}
