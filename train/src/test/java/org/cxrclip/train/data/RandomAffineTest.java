package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The affine warp against Pillow (golden file) and the parameter draw against the paper's ranges. */
class RandomAffineTest {
    static final int W = 32, H = 24;

    @Test
    void warpMatchesPillowTransformWithTorchvisionMatrix() throws IOException {
        float[] src = new float[W * H];
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) src[y * W + x] = (x * 7 + y * 13) % 251;
        int cases = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("affine/affine_golden.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] head = line.substring(0, line.indexOf(':')).trim().split(" ");
                String[] vals = line.substring(line.indexOf(':') + 1).trim().split(" ");
                var interp = RandomAffine.Interpolation.valueOf(head[0]);
                var p = new RandomAffine.Params(Double.parseDouble(head[1]), Double.parseDouble(head[2]),
                        Double.parseDouble(head[3]), Double.parseDouble(head[4]));
                float[] out = new float[W * H];
                new RandomAffine(45, 0.15, 0.9, 1.1, interp).warp(src, out, W, H, p);
                int mismatched = 0;
                for (int i = 0; i < out.length; i++) {
                    float want = Float.parseFloat(vals[i]);
                    // NEAREST: exact (we follow Pillow's 16.16 fixed point); bilinear in mode F: double stored as float
                    if (interp == RandomAffine.Interpolation.NEAREST ? out[i] != want : Math.abs(out[i] - want) > 1e-3f)
                        mismatched++;
                }
                assertTrue(mismatched <= 0,
                        line.substring(0, 40) + ": " + mismatched + " of " + out.length + " pixels differ from Pillow");
                cases++;
            }
        }
        assertEquals(12, cases);
    }

    @Test
    void drawsStayInThePaperRangesAndDependOnlyOnTheSeed() {
        RandomAffine a = RandomAffine.paper();
        double minA = 0, maxA = 0;
        for (long s = 0; s < 2000; s++) {
            RandomAffine.Params p = a.sample(s, 224, 224);
            assertTrue(Math.abs(p.angle()) <= 45);
            assertTrue(Math.abs(p.tx()) <= Math.rint(0.15 * 224) && Math.abs(p.ty()) <= Math.rint(0.15 * 224));
            assertEquals(p.tx(), Math.rint(p.tx()), "integer shifts, as torchvision");
            assertTrue(p.scale() >= 0.9 && p.scale() <= 1.1);
            assertEquals(p, a.sample(s, 224, 224));
            minA = Math.min(minA, p.angle());
            maxA = Math.max(maxA, p.angle());
        }
        assertTrue(minA < -44 && maxA > 44, "the whole ±45° range is used: " + minA + ".." + maxA);
    }
}
