package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrclip.clip.image.DecodedImage;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.clip.image.ImageReadException;
import org.cxrclip.clip.image.PilImage;
import org.cxrclip.clip.image.PilResample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shrinking once: sizes, pixels equal to PIL's LANCZOS resize, gray stays gray, resume, output names. */
class ImagePreparerTest {
    @TempDir
    Path dir;

    @Test
    void targetSizesPerSide() {
        assertArrayEquals(new int[] {256, 307}, new ImagePreparer(256, ImagePreparer.Side.SHORTER).targetSize(2500, 3000));
        assertArrayEquals(new int[] {213, 256}, new ImagePreparer(256, ImagePreparer.Side.LONGER).targetSize(2500, 3000));
        assertArrayEquals(new int[] {256, 307}, new ImagePreparer(256, ImagePreparer.Side.WIDTH).targetSize(2500, 3000));
        assertArrayEquals(new int[] {200, 100}, new ImagePreparer(256, ImagePreparer.Side.SHORTER).targetSize(200, 100), "never enlarged");
    }

    @Test
    void writesLanczosShrunkGrayPngAndResumes() throws IOException {
        Path src = Fixtures.image(dir.resolve("a.jpg"), 90, 60, 3);
        Path dst = dir.resolve("out/a_jpg.png");
        ImagePreparer p = new ImagePreparer(32, ImagePreparer.Side.SHORTER);
        assertTrue(p.prepare(src, dst));
        DecodedImage out = ImageDecoder.read(dst);
        assertEquals(DecodedImage.Layout.L, out.layout());
        assertEquals(48, out.width());
        assertEquals(32, out.height());
        DecodedImage want = PilImage.resize(ImageDecoder.read(src), 48, 32, PilResample.Filter.LANCZOS);
        assertArrayEquals(want.plane(0), out.plane(0));
        try (var s = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("a_jpg.png"), s.map(x -> x.getFileName().toString()).toList(), "no temp files left");
        }
        Files.writeString(dst, "sentinel");
        assertFalse(p.prepare(src, dst), "an existing output is complete (atomic rename) and reused");
        assertEquals("sentinel", Files.readString(dst));
    }

    @Test
    void rgbStaysRgbAndUnreadableNamesTheFile() throws IOException {
        Path src = Fixtures.rgbImage(dir.resolve("c.png"), 50, 40, 1);
        Path dst = dir.resolve("o/c.png");
        new ImagePreparer(20, ImagePreparer.Side.SHORTER).prepare(src, dst);
        DecodedImage out = ImageDecoder.read(dst);
        assertEquals(DecodedImage.Layout.RGB, out.layout());
        assertEquals(25, out.width());
        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "nope");
        ImageReadException e = assertThrows(ImageReadException.class,
                () -> new ImagePreparer(20, ImagePreparer.Side.SHORTER).prepare(bad, dir.resolve("o/bad.png")));
        assertTrue(e.getMessage().contains("bad.png"));
        assertFalse(Files.exists(dir.resolve("o/bad.png")));
    }

    @Test
    void outputPathsStayUnderTheOutputFolder() {
        Path out = dir.resolve("out"), src = dir.resolve("src");
        assertEquals(out.resolve("files/p10/x_jpg.png"), ImagePreparer.outputPath(out, src, src.resolve("files/p10/x.jpg")));
        assertEquals(out.resolve("y.png"), ImagePreparer.outputPath(out, src, src.resolve("y.png")));
        Path outside = ImagePreparer.outputPath(out, src, dir.resolve("elsewhere/z.jpeg"));
        assertTrue(outside.startsWith(out) && outside.toString().endsWith("elsewhere/z_jpeg.png"), outside.toString());
    }
}
