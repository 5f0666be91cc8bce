package org.cxrclip.train.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvesTest {
    @Test
    void writesAPngOfTheRequestedSizeWithTheCurvesDrawn(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plots/loss.png");
        double[] x = {0, 1, 2, 3}, falling = {3.4, 2.0, 1.2, 0.9}, flat = {3.4, 3.4, 3.4, 3.4};
        LossCurves.write(png, "loss", "step", "loss", List.of(new LossCurves.Curve("a", x, falling), new LossCurves.Curve("b", x, flat)),
                400, 300);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        // Lines are coloured: a plain white/grey chart would have no saturated pixel.
        int coloured = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int xx = 0; xx < img.getWidth(); xx++) {
                int rgb = img.getRGB(xx, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) coloured++;
            }
        assertTrue(coloured > 100, "only " + coloured + " coloured pixels");
        try (var s = Files.list(png.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void mismatchedLengthsAndNoCurvesAreErrors(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> new LossCurves.Curve("c", new double[2], new double[3]));
        assertEquals("curve 'c': 2 x for 3 y", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossCurves.write(dir.resolve("a.png"), "t", "x", "y", List.of(), 10, 10));
    }
}
