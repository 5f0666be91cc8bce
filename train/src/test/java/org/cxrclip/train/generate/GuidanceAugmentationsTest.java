package org.cxrclip.train.generate;

import static org.cxrclip.engine.testing.OpHarness.gradcheck;
import static org.cxrclip.engine.testing.OpHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class GuidanceAugmentationsTest {
    static final GuidanceAugmentations.Settings NONE =
            new GuidanceAugmentations.Settings(0, 15, 0.1, 5, 0.7, 0.1, 0.1, 0.1, 0.4, 0.3, 3.3, 0);
    static final GuidanceAugmentations.Settings ALWAYS =
            new GuidanceAugmentations.Settings(1, 15, 0.1, 5, 0.7, 0.1, 0.1, 0.1, 0.4, 0.3, 3.3, 0.1);

    @Test
    void withProbabilityZeroAndNoNoiseTheCopiesEqualTheImage() {
        float[] x = values(1, 9 * 9, 0, 1);
        Tensor img = Tensor.of(Backends.reference(), x, 1, 1, 9, 9);
        float[] out = new GuidanceAugmentations(NONE).apply(img, 3, new Rng(4)).toArray();
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < x.length; i++) assertEquals(x[i], out[c * x.length + i], 1e-6f);
    }

    @Test
    void gradientThroughAllAugmentationsMatchesFiniteDifferences() {
        // the same seed per call: the random parameters are fixed, the pixels vary
        gradcheck("augmentations", t -> new GuidanceAugmentations(ALWAYS).apply(t[0], 3, new Rng(9)),
                new float[][] {values(2, 6 * 6, 0, 1)}, new int[][] {{1, 1, 6, 6}});
    }

    @Test
    void perspectiveMapSendsCornersToTheirTargets() {
        double[] from = {0, 0, 10, 0, 10, 10, 0, 10}, to = {2, 1, 9, 3, 7, 8, 1, 9};
        double[] h = Homography.fromPoints(from, to);
        for (int k = 0; k < 4; k++)
            assertArrayEquals(new double[] {to[2 * k], to[2 * k + 1]}, Homography.apply(h, from[2 * k], from[2 * k + 1]), 1e-9);
        double[] back = Homography.multiply(Homography.invert(h), h);
        assertArrayEquals(Homography.identity(), new double[] {back[0] / back[8], back[1] / back[8], back[2] / back[8],
                back[3] / back[8], back[4] / back[8], back[5] / back[8], back[6] / back[8], back[7] / back[8], 1}, 1e-9);
    }

    @Test
    void affineRotatesAboutTheCentre() {
        double[] a = Homography.affine(90, 0, 0, 0, 5, 5);
        assertArrayEquals(new double[] {5, 5}, Homography.apply(a, 5, 5), 1e-9);
        assertArrayEquals(new double[] {5, 6}, Homography.apply(a, 6, 5), 1e-9); // x axis → y axis
    }

    @Test
    void erasingRemovesTenToFortyPercentWhenApplied() {
        int r = 20;
        float[] mask = new GuidanceAugmentations(ALWAYS).erasingMask(50, r, new Rng(3));
        int erasedCopies = 0;
        for (int n = 0; n < 50; n++) {
            int zeros = 0;
            for (int i = 0; i < r * r; i++) if (mask[n * r * r + i] == 0f) zeros++;
            if (zeros > 0) erasedCopies++;
            double frac = zeros / (double) (r * r);
            assertTrue(frac == 0 || (frac > 0.05 && frac < 0.5), "copy " + n + " erased fraction " + frac);
        }
        assertTrue(erasedCopies > 40, erasedCopies + " of 50 copies erased with probability 1");
    }
}
