package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch loader: same pixels for a sample whatever the threads, batch size or order; bad files skipped. */
class ImagePipelineTest {
    @TempDir
    Path dir;

    private Dataset images(int n, int bad) throws IOException {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = dir.resolve("img" + i + ".png");
            if (i == bad) Files.writeString(p, "not a png");
            else if (i % 3 == 0) Fixtures.rgbImage(p, 40 + i, 36, i);
            else Fixtures.image(p, 30, 44 + i, i);
            s.add(new Sample(i, p, "p" + i, null, null, null, null, new float[] {i % 2, 1 - i % 2}));
        }
        return new Dataset(List.of("A", "B"), s, null);
    }

    private static Map<Integer, float[]> collect(BatchLoader loader, int stride) {
        Map<Integer, float[]> out = new HashMap<>();
        while (loader.hasNext()) {
            BatchLoader.Batch b = loader.next();
            assertEquals(b.size() * stride, b.pixels().length);
            for (int i = 0; i < b.size(); i++)
                out.put(b.indices()[i], Arrays.copyOfRange(b.pixels(), i * stride, (i + 1) * stride));
        }
        return out;
    }

    @Test
    void augmentedPixelsDependOnSeedEpochAndIndexOnly() throws IOException {
        Dataset d = images(11, 7);
        ImagePipeline pipe = new ImagePipeline(new ClipTransform(16), RandomAffine.paper(), 99);
        Map<Integer, float[]> a, b, c;
        try (BatchLoader l = new BatchLoader(d, pipe, 4, 3, true, 5, 1, 1)) {
            a = collect(l, pipe.stride());
            assertEquals(1, l.skipped().size());
            assertEquals(7, l.skipped().get(0).index());
            assertTrue(l.skipped().get(0).reason().contains("img7.png"), l.skipped().get(0).reason());
        }
        try (BatchLoader l = new BatchLoader(d, pipe, 3, 3, false, 5, 4, 3)) {
            b = collect(l, pipe.stride());
        }
        try (BatchLoader l = new BatchLoader(d, pipe, 4, 4, true, 5, 2, 2)) {
            c = collect(l, pipe.stride());
        }
        assertEquals(10, a.size());
        for (int i : a.keySet()) {
            assertArrayEquals(a.get(i), b.get(i), "sample " + i + ": 1 vs 4 threads, other batches and order");
            assertFalse(Arrays.equals(a.get(i), c.get(i)), "sample " + i + ": another epoch, another augmentation");
        }
    }

    @Test
    void withoutAugmentationTheLoaderEqualsClipTransformAndCarriesLabels() throws IOException {
        Dataset d = images(5, -1);
        ImagePipeline pipe = new ImagePipeline(new ClipTransform(16), null, 1);
        try (BatchLoader l = new BatchLoader(d, pipe, 2, 0, false, 0, 2, 1)) {
            assertEquals(3, l.batches());
            int seen = 0;
            while (l.hasNext()) {
                BatchLoader.Batch b = l.next();
                for (int i = 0; i < b.size(); i++) {
                    int idx = b.indices()[i];
                    assertEquals(seen++, idx, "data-set order without shuffle");
                    float[] want = new ClipTransform(16).apply(ImageDecoder.read(d.get(idx).image()));
                    assertArrayEquals(want, Arrays.copyOfRange(b.pixels(), i * pipe.stride(), (i + 1) * pipe.stride()));
                    assertArrayEquals(d.get(idx).labels(), Arrays.copyOfRange(b.labels(), 2 * i, 2 * i + 2));
                }
            }
            assertEquals(5, seen);
        }
    }

    @Test
    void augmentationRotatesTheCropAboutItsCentre() throws IOException {
        // A symmetric image under a 0° / zero-shift / unit-zoom draw is unchanged; a gray image stays gray (R=G=B).
        Dataset d = images(3, -1);
        ImagePipeline pipe = new ImagePipeline(new ClipTransform(16), new RandomAffine(0, 0, 1, 1, RandomAffine.Interpolation.NEAREST), 3);
        float[] out = new float[pipe.stride()];
        pipe.load(d.get(1).image(), 0, 1, out, 0);
        assertArrayEquals(new ClipTransform(16).apply(ImageDecoder.read(d.get(1).image())), out);
        ImagePipeline paper = new ImagePipeline(new ClipTransform(16), RandomAffine.paper(), 3);
        paper.load(d.get(1).image(), 0, 1, out, 0);
        int plane = 16 * 16;
        for (int i = 0; i < plane; i++) {
            float v = out[i] * ClipTransform.STD[0] + ClipTransform.MEAN[0];
            assertEquals(v, out[plane + i] * ClipTransform.STD[1] + ClipTransform.MEAN[1], 1e-5f);
        }
    }

    @Test
    void orderIsAPermutationSeededByEpoch() {
        int[] o = BatchLoader.order(50, true, 1, 0);
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertArrayEquals(o, BatchLoader.order(50, true, 1, 0));
        assertFalse(Arrays.equals(o, BatchLoader.order(50, true, 1, 1)));
    }
}
