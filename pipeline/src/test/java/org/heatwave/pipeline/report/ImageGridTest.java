package org.heatwave.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @Test
    void greyAndColourImagesArePaintedPixelByPixelWithTheirCaptions() {
        float[] grey = new float[4 * 3];
        grey[0] = 1; // top-left white
        BufferedImage g = ImageGrid.draw(List.of(grey, grey, grey), 1, 4, 3, List.of("a", "!b\nc", ""), 2, 5);
        assertEquals(10 + 2 * (3 * 5 + 10), g.getWidth(), "two columns of 15-pixel cells with 10-pixel gaps");
        assertEquals(0xffffff, g.getRGB(10 + 2, 10 + 2) & 0xffffff, "the white pixel, enlarged 5 times");
        assertEquals(0x000000, g.getRGB(10 + 7, 10 + 2) & 0xffffff, "its black neighbour");
        float[] red = new float[3 * 2 * 2];
        java.util.Arrays.fill(red, 0, 4, 1f);
        BufferedImage c = ImageGrid.draw(List.of(red), 3, 2, 2, List.of(""), 4, 3);
        assertEquals(0xff0000, c.getRGB(11, 11) & 0xffffff);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.draw(List.of(red), 1, 2, 2, List.of(""), 4, 3));
        assertEquals(c.getWidth(), Figures.image(Figures.png(c)).getWidth());
    }
}
