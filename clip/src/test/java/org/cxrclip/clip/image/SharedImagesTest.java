package org.cxrclip.clip.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.cxrclip.engine.testing.SharedData;

/**
 * Decodes every image of the shared sample sets ({@code <shared>/data/<set>/images}, found through
 * -Dcxrclip.shared or CXRCLIP_SHARED; skipped with a reason when absent), checks each labels.csv row
 * points at an image that decodes, and runs the CLIP and CheXzero transforms on a sample. Prints counts
 * and single-threaded timings; asserts no timing.
 */
class SharedImagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"nih-cxr14", "covid-cxr"})
    void everyImageDecodesAndTransforms(String set) throws IOException {
        Path root = SharedData.require("data/" + set + "/images").getParent();

        List<Path> files;
        try (Stream<Path> s = Files.list(root.resolve("images"))) {
            files = s.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g)")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        List<DecodedImage> sample = new ArrayList<>();
        long decodeNanos = 0;
        int decoded = 0;
        for (int i = 0; i < files.size(); i++) {
            long t0 = System.nanoTime();
            try {
                DecodedImage img = ImageDecoder.read(files.get(i));
                decodeNanos += System.nanoTime() - t0;
                decoded++;
                assertTrue(img.width() >= 16 && img.height() >= 16, files.get(i) + " is " + img.width() + "x" + img.height());
                if (i % 10 == 0) {
                    sample.add(img);
                }
            } catch (ImageReadException e) {
                failures.add(e.getMessage());
            }
        }
        System.out.printf("%s: %d/%d images decoded in %.2f s (%.1f ms each); failures: %s%n", set, decoded,
                files.size(), decodeNanos / 1e9, decodeNanos / 1e6 / Math.max(decoded, 1), failures);
        assertTrue(failures.isEmpty(), "undecodable images: " + failures);
        assertEquals(labelRows(root), files.size(), "labels.csv rows vs image files");

        ClipTransform clip = new ClipTransform(224);
        CheXzeroTransform chexzero = new CheXzeroTransform();
        long t0 = System.nanoTime();
        float[] batch = clip.applyBatch(sample);
        long clipNanos = System.nanoTime() - t0;
        assertEquals(sample.size() * 3 * 224 * 224, batch.length);
        for (int c = 0; c < 3; c++) {
            float lo = (0f - ClipTransform.MEAN[c]) / ClipTransform.STD[c];
            float hi = (1f - ClipTransform.MEAN[c]) / ClipTransform.STD[c];
            for (int b = 0; b < sample.size(); b++) {
                int off = (b * 3 + c) * 224 * 224;
                for (int i = 0; i < 224 * 224; i++) {
                    float v = batch[off + i];
                    assertTrue(Float.isFinite(v) && v >= lo - 1e-5f && v <= hi + 1e-5f,
                            sample.get(b).source() + " channel " + c + " value " + v);
                }
            }
        }
        t0 = System.nanoTime();
        float[] cz = chexzero.applyBatch(sample);
        long czNanos = System.nanoTime() - t0;
        for (float v : cz) {
            // canvas 0..255 normalised; torch bicubic overshoots by at most a third of the range
            assertTrue(Float.isFinite(v) && v > -2.5f && v < 3.5f, "CheXzero value " + v);
        }
        System.out.printf("%s: CLIP 224 on %d images %.2f ms each; CheXzero 320->224 %.2f ms each%n", set,
                sample.size(), clipNanos / 1e6 / sample.size(), czNanos / 1e6 / sample.size());
    }

    /** Rows of labels.csv whose image (second column, before any quoted text) exists. */
    private static long labelRows(Path root) throws IOException {
        Path labels = root.resolve("labels.csv");
        try (Stream<String> lines = Files.lines(labels)) {
            return lines.skip(1).map(l -> l.split(",", 3)[1]).filter(p -> Files.isRegularFile(root.resolve(p))).count();
        }
    }
}
