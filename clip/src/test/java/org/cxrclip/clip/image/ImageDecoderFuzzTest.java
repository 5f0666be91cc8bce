package org.cxrclip.clip.image;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.cxrclip.engine.testing.MutationFuzzer;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of {@link ImageDecoder} and the two transforms behind it (see {@link MutationFuzzer}): any bytes
 * decode, or end in an {@link ImageReadException} naming the file. Seeds are the golden PNG/JPEG fixtures, plus
 * copies whose IHDR claims absurd sizes (CRC fixed, so the header itself is believed).
 */
class ImageDecoderFuzzTest {
    private static final Path FILE = Path.of("fuzz/xray.png");

    @Test
    void pngAndJpeg() {
        MutationFuzzer f = MutationFuzzer.named("image");
        for (String name : new String[] {"gray8.png", "gray16.png", "la.png", "palette.png", "rgb.jpg", "rgba.png"}) {
            f.seed(Goldens.bytes(name));
        }
        byte[] gray = Goldens.bytes("gray8.png");
        f.seed(withSize(gray, 0x7fffffff, 1), withSize(gray, 46341, 46341), withSize(gray, 20000, 20000),
                withSize(gray, 0, 5), withSize(gray, 8000, 8000));
        byte[] jpeg = Goldens.bytes("rgb.jpg");
        f.seed(jpegWithSize(jpeg, 65535, 65535), jpegWithSize(jpeg, 8000, 8000), jpegWithSize(jpeg, 0, 7));
        // PNG chunk names and signature; JPEG SOI, EOI, SOS, a 65535x65535 SOF0, SOF2, DRI; extreme 32-bit sizes.
        f.dictionary("IHDR", "IDAT", "IEND", "PLTE", "tRNS", "sBIT", "\u0089PNG\r\n\u001a\n", "\u00ff\u00d8", "\u00ff\u00d9",
                "\u00ff\u00da", "\u00ff\u00c0\u0000\u0011\u0008\u00ff\u00ff\u00ff\u00ff\u0003", "\u00ff\u00c2",
                "\u00ff\u00dd\u0000\u0004\u0000\u0000", "\u0000\u0000\u00ff\u00ff", "\u007f\u00ff\u00ff\u00ff");
        f.replay(Path.of("src/test/resources/fuzz/images")).cases(1500).run(input -> {
            DecodedImage image = ImageDecoder.decode(input, FILE);
            new ClipTransform(16).apply(image);
            new CheXzeroTransform(32, 16).apply(image);
        }, t -> t instanceof ImageReadException e && e.getMessage().startsWith(FILE.toString()) && FILE.equals(e.file()));
    }

    /** The JPEG with the width and height of its frame header (SOF0 or SOF2) replaced. */
    static byte[] jpegWithSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xff) == 0xff && ((out[i + 1] & 0xff) == 0xc0 || (out[i + 1] & 0xff) == 0xc2)) {
                ByteBuffer.wrap(out).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
                return out;
            }
        }
        throw new IllegalArgumentException("no SOF0/SOF2 marker");
    }

    /** The PNG with its IHDR width and height replaced and the chunk's CRC recomputed. */
    static byte[] withSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return out;
    }
}
