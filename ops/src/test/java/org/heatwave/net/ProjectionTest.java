package org.heatwave.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.heatwave.conv.Boundary;
import org.heatwave.kernels.StencilModels;
import org.heatwave.layer.ConvLayer;
import org.heatwave.layer.Geometry;
import org.junit.jupiter.api.Test;

/** A network projects each constrained layer's parameters onto its admissible set, and only those. */
class ProjectionTest {

    @Test
    void mMatrixLayerIsClampedAndOthersAreUntouched() {
        Geometry g = new Geometry(6, 6, 2);
        ConvLayer free = new ConvLayer(g, 2, 3, Boundary.PERIODIC, 1);
        ConvLayer mMatrix = new ConvLayer(g, StencilModels.mMatrix(2, 3), Boundary.ZERO, 1);
        Sequential seq = new Sequential(List.of(free, mMatrix));
        double[] theta = new double[seq.paramCount()];
        java.util.Arrays.fill(theta, -1);
        seq.project(theta, 0);
        for (int i = 0; i < free.paramCount(); i++) {
            assertEquals(-1, theta[i], 0.0, "unconstrained parameter " + i);
        }
        for (int i = free.paramCount(); i < theta.length; i++) {
            assertTrue(theta[i] >= 0, "M-matrix parameter " + i + " = " + theta[i]);
        }
    }
}
