package org.cxrclip.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Properties that hold for any sizes, including awkward ones (1, primes, up- and downscale): the
 * filters' taps are normalised, so a constant image stays that constant; and the identity size is a copy.
 */
class ResampleInvariantsTest {

    @Test
    void constantPlanesStayConstant() {
        qt().forAll(integers().between(1, 40), integers().between(1, 40), integers().between(1, 40),
                integers().between(1, 40)).checkAssert((w, h, ow, oh) -> {
                    float[] grey = new float[w * h];
                    Arrays.fill(grey, 173f);
                    for (PilResample.Filter f : PilResample.Filter.values()) {
                        for (float v : PilResample.resizeUint8(grey, w, h, ow, oh, f)) {
                            assertEquals(173f, v, 0f, f + " uint8 " + w + "x" + h + "->" + ow + "x" + oh);
                        }
                        for (float v : PilResample.resizeFloat(grey, w, h, ow, oh, f)) {
                            assertEquals(173f, v, 1e-3f, f + " float " + w + "x" + h + "->" + ow + "x" + oh);
                        }
                    }
                    for (float v : TorchResize.bicubic(grey, w, h, ow, oh)) {
                        assertEquals(173f, v, 1e-3f, "torch " + w + "x" + h + "->" + ow + "x" + oh);
                    }
                    for (float v : PilResample.resizeNearest(grey, w, h, ow, oh)) {
                        assertEquals(173f, v, 0f);
                    }
                });
    }

    @Test
    void sameSizeIsACopy() {
        float[] p = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(p, PilResample.resizeUint8(p, 3, 2, 3, 2, PilResample.Filter.BICUBIC));
        assertArrayEquals(p, TorchResize.bicubic(p, 3, 2, 3, 2), 1e-6f);
    }

    @Test
    void nearestPicksPilsSourcePixels() {
        // PIL: Image.fromarray(np.arange(5, dtype=np.uint8)[None]).convert('P').resize((3, 1)) -> [0, 2, 4]
        // ((i + 0.5) * 5/3 floored: 0.83, 2.5, 4.17); upscale 2 -> 5: [0, 0, 1, 1, 1]
        assertArrayEquals(new float[] {0, 2, 4}, PilResample.resizeNearest(new float[] {0, 1, 2, 3, 4}, 5, 1, 3, 1));
        assertArrayEquals(new float[] {0, 0, 1, 1, 1}, PilResample.resizeNearest(new float[] {0, 1}, 2, 1, 5, 1));
    }
}
