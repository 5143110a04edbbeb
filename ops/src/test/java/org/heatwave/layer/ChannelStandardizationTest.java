package org.heatwave.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heatwave.act.Activation;
import org.heatwave.net.Network;
import org.heatwave.tensor.FeatureMap;
import org.junit.jupiter.api.Test;

class ChannelStandardizationTest {

    @Test
    void eachChannelIsShiftedAndScaledByItsOwnStatistics() {
        Geometry g = new Geometry(2, 1, 2);
        ChannelStandardization s = new ChannelStandardization(g, new double[]{0.5, -1}, new double[]{0.25, 2});
        // layout [h][w][n][c]: two pixels, two examples, two channels
        FeatureMap x = new FeatureMap(2, 1, 2, 2, new float[]{1, 1, 0.5f, 3, 0, -1, 0.75f, 5});
        FeatureMap y = s.bind(new double[0], 0).forward(x).output();
        assertArrayEquals(new float[]{2, 1, 0, 2, -2, 0, 1, 3}, y.data(), 1e-6f);
    }

    @Test
    void aNetworkBehindItKeepsItsParameterLayout() {
        Geometry g = new Geometry(8, 8, 3);
        Network net = Network.parabolic(g, new int[]{4}, 1, 0.5, Activation.TANH, 3);
        Network standardized = net.behind(new ChannelStandardization(g, new double[3], new double[]{1, 1, 1}));
        assertEquals(net.paramCount(), standardized.paramCount());
        assertEquals(net.classifierOffset(), standardized.classifierOffset());
        assertEquals(net.body().layers().size() + 1, standardized.body().layers().size());
    }

    @Test
    void badStatisticsAreRefusedNamingTheChannel() {
        Geometry g = new Geometry(4, 4, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ChannelStandardization(g, new double[]{0, 0}, new double[]{1, 0}));
        assertTrue(e.getMessage().startsWith("channel 1:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChannelStandardization(g, new double[]{0}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Network.parabolic(g, new int[]{4}, 1, 0.5, Activation.TANH, 3)
                .behind(new ChannelStandardization(new Geometry(4, 4, 1), new double[1], new double[]{1})));
    }
}
