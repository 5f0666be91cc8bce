package org.cxrclip.clip.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad file ends in an ImageReadException that names the file, never a deep index error. */
class CorruptImageTest {
    @TempDir
    Path dir;

    private ImageReadException failsNaming(Path file) {
        ImageReadException e = assertThrows(ImageReadException.class, () -> ImageDecoder.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] png = Goldens.bytes("gray8.png");
        Path file = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        failsNaming(file);
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpg = Goldens.bytes("rgb.jpg");
        Path file = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3));
        failsNaming(file);
    }

    @Test
    void pngWithCorruptedImageData() throws IOException {
        byte[] png = Goldens.bytes("gray8.png").clone();
        for (int i = 100; i < 400; i++) {
            png[i] ^= (byte) 0x5a;
        }
        failsNaming(Files.write(dir.resolve("scrambled.png"), png));
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[1000];
        new Random(7).nextBytes(noise);
        assertTrue(failsNaming(Files.write(dir.resolve("noise.png"), noise)).getMessage().contains("not a PNG or JPEG"));
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(failsNaming(Files.write(dir.resolve("empty.png"), new byte[0])).getMessage().contains("empty"));
    }

    @Test
    void textNamedPng() throws IOException {
        failsNaming(Files.writeString(dir.resolve("notes.png"), "Impression: no acute findings.\n",
                StandardCharsets.US_ASCII));
    }

    @Test
    void missingFile() {
        failsNaming(dir.resolve("does-not-exist.png"));
    }

    @Test
    void otherFormatIsRejected() throws IOException {
        Path gif = dir.resolve("image.gif");
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED), "gif", gif.toFile());
        assertTrue(failsNaming(gif).getMessage().contains("gif"));
    }

    /** Found by ImageDecoderFuzzTest: a 1.6 kB PNG claiming 20000×20000 pixels made ImageIO allocate 400 MB before it
     * noticed the pixel data was missing (the JPEG check was added for the same reason). */
    @Test
    void headerSizesNoFileCouldHoldAreRefusedBeforeDecoding() throws IOException {
        byte[] png = Goldens.bytes("gray8.png");
        String big = failsNaming(Files.write(dir.resolve("big.png"), ImageDecoderFuzzTest.withSize(png, 8000, 8000)))
                .getMessage();
        assertTrue(big.contains("header claims 8000x8000 pixels (64008000 bytes of pixel data) but the file has only "
                + png.length + " bytes"), big);
        byte[] jpeg = Goldens.bytes("rgb.jpg");
        byte[] bigJpegBytes = ImageDecoderFuzzTest.jpegWithSize(jpeg, 8000, 8000);
        String bigJpeg = failsNaming(Files.write(dir.resolve("big.jpg"), bigJpegBytes)).getMessage();
        assertTrue(bigJpeg.contains("header claims 8000x8000 pixels (1000000 blocks of 8x8) but the file has only "
                + jpeg.length + " bytes"), bigJpeg);
        for (int[] size : new int[][] {{20000, 20000}, {0x7fffffff, 1}}) {
            String absurd = failsNaming(Files.write(dir.resolve("huge.png"), ImageDecoderFuzzTest.withSize(png, size[0],
                    size[1]))).getMessage();
            assertTrue(absurd.contains("header claims " + size[0] + "x" + size[1] + " pixels; accepted are 1 to 67108864"),
                    absurd);
        }
    }

    @Test
    void intactCopyStillDecodes() throws IOException {
        // guards the tests above: the same bytes, untouched, are fine
        Path file = Files.write(dir.resolve("ok.png"), Goldens.bytes("gray8.png"));
        assertEquals(37, ImageDecoder.read(file).width());
    }
}
