package org.heatwave.block;

import org.heatwave.tensor.FeatureMap;

/** The vector operations of the time-stepping schemes, on whole feature maps (new maps, inputs untouched). */
final class Steps {
    private Steps() {
    }

    /** {@code y + a·x}. */
    static FeatureMap axpy(FeatureMap y, float a, FeatureMap x) {
        y.requireSameDims(x, "step update");
        FeatureMap out = y.copy();
        float[] o = out.data();
        float[] xd = x.data();
        for (int i = 0; i < o.length; i++) {
            o[i] += a * xd[i];
        }
        return out;
    }
}
