package org.cxrclip.train.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Test
    void gridPlacesImageKInRowKDiv4ColumnKMod4ScaledByNearestNeighbour() {
        // Five 32 × 32 images, each a different pattern of the 16 greys j/15 (8-bit value 17·j exactly), so a
        // panel in the wrong cell, a flipped or shifted panel, or a smoothed upscaling changes sampled values.
        int size = 32, n = 5, scale = 5, cell = size * scale, pad = 8;
        List<BufferedImage> images = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] px = new float[size * size];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) px[y * size + x] = pattern(k, x, y) / 15f;
            images.add(GeneratedImages.grey(px, size));
        }
        BufferedImage g = GeneratedImages.grid(images, List.of("a", "b", "c", "d", "e"));
        // Two rows of (cellH + pad) plus the top pad; cellH includes the caption lines below each image.
        int cellH = (g.getHeight() - pad) / 2 - pad;
        assertEquals(g.getHeight(), 2 * (cellH + pad) + pad);
        for (int k = 0; k < n; k++) {
            int x0 = pad + (k % 4) * (cell + pad), y0 = pad + (k / 4) * (cellH + pad);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int want = 17 * pattern(k, x, y);
                    // Every one of the 5 × 5 grid pixels of source pixel (x, y) carries its value.
                    for (int dy = 0; dy < scale; dy++)
                        for (int dx = 0; dx < scale; dx++) {
                            int got = g.getRaster().getSample(x0 + scale * x + dx, y0 + scale * y + dy, 0);
                            if (got != want) assertEquals(want, got, "panel " + k + " pixel (" + x + ", " + y + ") sub (" + dx + ", " + dy + ")");
                        }
                }
        }
        // Row 1 holds only panel 4: the cells where panels 5..7 would go stay white.
        for (int k = n; k < 8; k++) {
            int x0 = pad + (k % 4) * (cell + pad), y0 = pad + (k / 4) * (cellH + pad);
            assertEquals(255, g.getRaster().getSample(x0 + cell / 2, y0 + cell / 2, 0), "empty cell " + k);
        }
    }

    private static int pattern(int k, int x, int y) {
        return (x + 3 * y + 7 * k + x * y * (k + 1)) % 16;
    }
}
