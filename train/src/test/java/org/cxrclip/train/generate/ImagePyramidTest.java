package org.cxrclip.train.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class ImagePyramidTest {
    @Test
    void levelSizesArePapersScaledToTheImage() {
        assertArrayEquals(new int[] {224, 112, 61, 30, 15}, ImagePyramid.levelSizes(224));
        assertArrayEquals(new int[] {64, 32, 17, 9, 4}, ImagePyramid.levelSizes(64));
        assertArrayEquals(new int[] {32, 16, 9, 4, 2}, ImagePyramid.levelSizes(32));
        assertThrows(IllegalArgumentException.class, () -> ImagePyramid.levelSizes(0));
    }

    @Test
    void levelsStartFromNormalHalfQuarterAndRenderTheirMean() {
        ImagePyramid p = new ImagePyramid(Backends.reference(), 224, new Rng(5));
        float[] top = p.parameters().get("level_224").toArray();
        double m = 0, v = 0;
        for (float f : top) m += f;
        m /= top.length;
        for (float f : top) v += (f - m) * (f - m);
        double sd = Math.sqrt(v / top.length);
        assertEquals(0.5, m, 0.005);   // 50176 draws: standard error 0.0011
        assertEquals(0.25, sd, 0.005);
        // constant levels render to that constant; the render averages the five levels
        float c = 0;
        int k = 0;
        for (Tensor level : p.parameters().values()) {
            float value = 0.1f * ++k;
            float[] fill = new float[level.numel()];
            java.util.Arrays.fill(fill, value);
            level.assign(fill);
            c += value / 5;
        }
        for (float px : p.pixels()) assertEquals(c, px, 1e-6f);
    }
}
