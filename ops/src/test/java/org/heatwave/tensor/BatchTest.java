package org.heatwave.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void layoutsConvertBothWays() {
        Shape s = new Shape(2, 3, 4, 5);
        float[] d = new float[(int) s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        Batch b = new Batch(s, d);
        FeatureMap f = b.toFeatureMap();
        // element (i=1, ch=2, y=3, x=4) sits at ((y·w + x)·n + i)·c + ch in the feature map
        assertEquals(b.get(1, 2, 3, 4), f.data()[((3 * 5 + 4) * 2 + 1) * 3 + 2]);
        assertEquals(b, Batch.fromFeatureMap(f));
    }

    @Test
    void sizeMismatchNamesShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batch(new Shape(1, 1, 2, 2), new float[3]));
        assertEquals("batch of shape 1x1x2x2 needs 4 values but got 3", e.getMessage());
    }
}
