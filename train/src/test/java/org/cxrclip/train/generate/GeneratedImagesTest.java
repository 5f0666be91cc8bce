package org.cxrclip.train.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedImagesTest {
    @TempDir
    Path dir;

    @Test
    void greyImageClampsAndRoundsTo8Bits() throws Exception {
        float[] px = {-0.5f, 0f, 0.5f, 1.7f};
        Path png = dir.resolve("a.png");
        GeneratedImages.writePng(GeneratedImages.grey(px, 2), png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(2, back.getWidth());
        int[] expected = {0, 0, 128, 255};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], back.getRaster().getSample(i % 2, i / 2, 0), "pixel " + i);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void gridHasACellPerImageAndRoomForCaptions() {
        BufferedImage a = GeneratedImages.grey(new float[32 * 32], 32);
        BufferedImage g = GeneratedImages.grid(List.of(a, a, a, a, a),
                List.of("one", "two", "a long caption that has to wrap over several lines", "four", "five"));
        int cell = 160; // 32 px scaled by 5
        assertEquals(4 * (cell + 8) + 8, g.getWidth());
        assertTrue(g.getHeight() > 2 * (cell + 8), "two rows with captions: height " + g.getHeight());
    }
}
