package org.cxrclip.train.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.BilinearResize;
import org.junit.jupiter.api.Test;

/** Gradient ascent on the tiny preset: few steps, few copies, so it runs in about a second. */
class TextToImageTest {
    private static final Clip CLIP = new Clip(Backends.cpu(), ClipPresets.get("tiny"), 3);


    /** A text embedding from token ids (start, words..., end, padding): no vocabulary file needed. */
    static float[] text(int... words) {
        int[] row = new int[77];
        row[0] = 49406;
        for (int i = 0; i < words.length; i++) row[1 + i] = words[i];
        row[1 + words.length] = 49407;
        try (var g = Autograd.noGrad()) {
            return CLIP.encodeText(new int[][] {row}).toArray();
        }
    }

    static TextToImage.Settings settings(int steps, long seed) {
        return new TextToImage.Settings(steps, 0.03, 0.1, 4, 0, seed, GuidanceAugmentations.VQGAN_CLIP);
    }

    static double mean(double[] v, int from, int to) {
        return Arrays.stream(v, from, to).average().orElseThrow();
    }

    @Test
    void similarityRisesOverTheSteps() {
        int[] calls = {0};
        var r = TextToImage.generate(CLIP, text(320, 1000), settings(30, 1), (step, steps, sim) -> {
            assertEquals(++calls[0], step);
            assertEquals(30, steps);
        });
        assertEquals(30, calls[0]);
        // The augmented copies' similarity is noisy (heavy random warps of a 32 px image, 4 copies); its mean
        // still rises (measured: 0.068 over the first 10 steps, 0.113 over the last 10), and the plain image's
        // similarity rises far more (0.08 -> 0.59).
        double first = mean(r.stepSimilarity(), 0, 10), last = mean(r.stepSimilarity(), 20, 30);
        assertTrue(last > first + 0.02, "mean similarity of the augmented copies: first 10 steps " + first
                + ", last 10 steps " + last + " (trace " + Arrays.toString(r.stepSimilarity()) + ")");
        assertTrue(r.finalSimilarity() > r.initialSimilarity() + 0.2,
                "plain image similarity " + r.initialSimilarity() + " -> " + r.finalSimilarity());
        assertEquals(32 * 32, r.pixels().length);
        // CLIP's parameters get their gradient flags back
        for (Tensor p : CLIP.parameters()) assertTrue(p.requiresGrad());
    }

    @Test
    void withoutAugmentationsEveryStepRaisesTheSimilarity() {
        var none = new GuidanceAugmentations.Settings(0, 15, 0.1, 5, 0.7, 0.1, 0.1, 0.1, 0.4, 0.3, 3.3, 0);
        var r = TextToImage.generate(CLIP, text(320, 1000), new TextToImage.Settings(15, 0.03, 0.1, 1, 0, 1, none), null);
        double[] t = r.stepSimilarity();
        for (int i = 1; i < t.length; i++)
            assertTrue(t[i] > t[i - 1], "step " + i + ": " + t[i - 1] + " -> " + t[i] + " in " + Arrays.toString(t));
        assertEquals(t[0], r.initialSimilarity(), 1e-5, "step 0 sees the initial image unchanged");
    }

    @Test
    void differentTextsGiveDifferentImagesAndTheSameTextTheSameImage() {
        float[] a = TextToImage.generate(CLIP, text(320, 1000), settings(10, 7), null).pixels();
        float[] b = TextToImage.generate(CLIP, text(4000, 25), settings(10, 7), null).pixels();
        float[] again = TextToImage.generate(CLIP, text(320, 1000), settings(10, 7), null).pixels();
        assertArrayEquals(a, again, "same text, same seed");
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
        diff /= a.length;
        // Adam moves every pixel by about lr per step, so 10 steps in different directions differ by ~0.1
        assertTrue(diff > 0.02, "mean |difference| of the two images " + diff);
    }

    @Test
    void largerImageThanTheModelIsResizedForEncoding() {
        var s = new TextToImage.Settings(2, 0.03, 0.1, 2, 48, 1, GuidanceAugmentations.VQGAN_CLIP);
        var r = TextToImage.generate(CLIP, text(320), s, null);
        assertEquals(48, r.size());
        assertEquals(48 * 48, r.pixels().length);
        // The reported final similarity is that of the returned 48 px image brought to the model's 32 px:
        // recompute it here from the pixels, with OpenAI CLIP's normalisation constants written out and the
        // cosine taken in double.
        float[] mean = {0.48145466f, 0.4578275f, 0.40821073f}, std = {0.26862954f, 0.26130258f, 0.27577711f};
        float[] small;
        try (var g = Autograd.noGrad()) {
            small = BilinearResize.resize(Tensor.of(Backends.cpu(), r.pixels(), 1, 1, 48, 48), 32, 32).toArray();
        }
        float[] rgb = new float[3 * 32 * 32];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 32 * 32; i++) rgb[c * 32 * 32 + i] = (small[i] - mean[c]) / std[c];
        float[] image, t = text(320);
        try (var g = Autograd.noGrad()) {
            image = CLIP.encodeImage(Tensor.of(Backends.cpu(), rgb, 1, 3, 32, 32)).toArray();
        }
        double dot = 0, ii = 0, tt = 0;
        for (int i = 0; i < t.length; i++) {
            dot += (double) image[i] * t[i];
            ii += (double) image[i] * image[i];
            tt += (double) t[i] * t[i];
        }
        assertEquals(dot / Math.sqrt(ii * tt), r.finalSimilarity(), 1e-4, "final similarity of the resized image");
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> settings(0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TextToImage.Settings(5, -1, 0.1, 4, 0, 1, GuidanceAugmentations.VQGAN_CLIP));
        var e = assertThrows(IllegalArgumentException.class, () -> TextToImage.generate(CLIP, new float[5], settings(1, 1), null));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }
}
