package org.cxrclip.clip.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads the fixtures under {@code src/test/resources/images/} made by
 * {@code tests/goldens/images/make_goldens.py} (Pillow 9.4, torch 1.13.1, torchvision 0.14.1):
 * input images, .f32 (little-endian float32) and .u8 (PIL uint8 results) arrays in C order.
 */
final class Goldens {
    private Goldens() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Goldens.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource images/" + name
                        + " (run tests/goldens/images/make_goldens.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DecodedImage image(String name) {
        return ImageDecoder.decode(bytes(name), Path.of("images", name));
    }

    static float[] f32(String name) {
        byte[] b = bytes(name);
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static float[] u8(String name) {
        byte[] b = bytes(name);
        float[] out = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    /** A .u8 or .f32 array, whichever the generator wrote for {@code stem}. */
    static float[] array(String stem) {
        return Goldens.class.getResource("/images/" + stem + ".u8") != null ? u8(stem + ".u8") : f32(stem + ".f32");
    }

    /** Concatenates planes into one C-order array. */
    static float[] concat(float[]... planes) {
        int n = 0;
        for (float[] p : planes) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : planes) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static float maxAbsDiff(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }

    /** Fails with the first differing values when the max abs difference exceeds {@code tol}. */
    static float assertClose(float[] expected, float[] actual, float tol, String what) {
        float max = maxAbsDiff(expected, actual, what);
        if (!(max <= tol)) {
            StringBuilder sb = new StringBuilder(what + ": max |diff| " + max + " > " + tol + "; first diffs:");
            int shown = 0;
            for (int i = 0; i < expected.length && shown < 8; i++) {
                if (Math.abs(expected[i] - actual[i]) > tol) {
                    sb.append(String.format(" [%d] expected %.6f got %.6f;", i, expected[i], actual[i]));
                    shown++;
                }
            }
            throw new AssertionError(sb.toString());
        }
        System.out.printf("golden %-40s max |diff| %.3g%n", what, max);
        return max;
    }
}
