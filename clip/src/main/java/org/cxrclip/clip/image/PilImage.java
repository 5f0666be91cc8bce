package org.cxrclip.clip.image;

import org.cxrclip.clip.image.DecodedImage.Layout;

/**
 * The PIL image operations the CLIP and CheXzero pipelines use, with PIL's per-mode behaviour
 * (Pillow 9.4): {@code resize}, {@code crop}, {@code convert('RGB')} and {@code convert('L')}.
 *
 * <ul>
 *   <li>resize: 'P' and '1' images always use nearest neighbour; 'LA'/'RGBA' are premultiplied by alpha
 *       ('La'/'RGBa'), resized, and un-premultiplied; 8-bit modes round and clip after each pass; our
 *       GRAY16 layout is resized in float ('F' mode).</li>
 *   <li>convert('L') from colour: PIL's L24 luma, (R·19595 + G·38470 + B·7471 + 0x8000) >> 16, i.e.
 *       R·299/1000 + G·587/1000 + B·114/1000 rounded.</li>
 * </ul>
 */
public final class PilImage {
    private PilImage() {
    }

    /** {@code image.resize((outW, outH), filter)} as PIL does it for the image's mode. */
    public static DecodedImage resize(DecodedImage image, int outW, int outH, PilResample.Filter filter) {
        int w = image.width();
        int h = image.height();
        if (w == outW && h == outH) {
            return image;
        }
        float[][] in = image.planes();
        float[][] out = new float[in.length][];
        switch (image.layout()) {
            case PALETTE, BILEVEL -> {
                for (int c = 0; c < in.length; c++) {
                    out[c] = PilResample.resizeNearest(in[c], w, h, outW, outH);
                }
            }
            case GRAY16 -> out[0] = PilResample.resizeFloat(in[0], w, h, outW, outH, filter);
            case LA, RGBA -> {
                float[][] premultiplied = premultiply(in);
                for (int c = 0; c < in.length; c++) {
                    out[c] = PilResample.resizeUint8(premultiplied[c], w, h, outW, outH, filter);
                }
                unpremultiply(out);
            }
            case L, RGB -> {
                for (int c = 0; c < in.length; c++) {
                    out[c] = PilResample.resizeUint8(in[c], w, h, outW, outH, filter);
                }
            }
            default -> throw new IllegalStateException("unhandled layout " + image.layout());
        }
        return new DecodedImage(image.source(), outW, outH, image.layout(), out);
    }

    /** {@code image.crop((left, top, left + cw, top + ch))}; the box must lie inside the image. */
    public static DecodedImage crop(DecodedImage image, int left, int top, int cw, int ch) {
        if (left < 0 || top < 0 || left + cw > image.width() || top + ch > image.height()) {
            throw new IllegalArgumentException(image.source() + ": crop box " + cw + "x" + ch + " at (" + left
                    + ", " + top + ") is outside the " + image.width() + "x" + image.height() + " image");
        }
        float[][] out = new float[image.channels()][cw * ch];
        for (int c = 0; c < out.length; c++) {
            float[] src = image.plane(c);
            for (int y = 0; y < ch; y++) {
                System.arraycopy(src, (top + y) * image.width() + left, out[c], y * cw, cw);
            }
        }
        return new DecodedImage(image.source(), cw, ch, image.layout(), out);
    }

    /** {@code convert('RGB')}: gray replicated, alpha dropped (not composited), palette already expanded. */
    public static float[][] toRgb(DecodedImage image) {
        float[][] p = image.planes();
        return switch (image.layout()) {
            case L, LA, BILEVEL, GRAY16 -> new float[][] {p[0], p[0], p[0]};
            case RGB, RGBA, PALETTE -> new float[][] {p[0], p[1], p[2]};
        };
    }

    /** {@code convert('L')}: gray planes as they are, colour through PIL's L24 luma. */
    public static float[] toLuma(DecodedImage image) {
        if (image.layout().channels() < 3) {
            return image.plane(0);
        }
        float[] r = image.plane(0);
        float[] g = image.plane(1);
        float[] b = image.plane(2);
        float[] out = new float[r.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((int) r[i] * 19595 + (int) g[i] * 38470 + (int) b[i] * 7471 + 0x8000) >> 16;
        }
        return out;
    }

    // PIL rgba2rgbA / la2lA: colour·alpha/255 rounded as MULDIV255; alpha (last plane) unchanged
    private static float[][] premultiply(float[][] planes) {
        float[] alpha = planes[planes.length - 1];
        float[][] out = new float[planes.length][];
        out[planes.length - 1] = alpha;
        for (int c = 0; c < planes.length - 1; c++) {
            float[] src = planes[c];
            float[] dst = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                int tmp = (int) src[i] * (int) alpha[i] + 128;
                dst[i] = ((tmp >> 8) + tmp) >> 8;
            }
            out[c] = dst;
        }
        return out;
    }

    // PIL rgbA2rgba / lA2la: colour·255/alpha truncated and clipped; alpha 0 and 255 leave colour as is
    private static void unpremultiply(float[][] planes) {
        float[] alpha = planes[planes.length - 1];
        for (int c = 0; c < planes.length - 1; c++) {
            float[] p = planes[c];
            for (int i = 0; i < p.length; i++) {
                int a = (int) alpha[i];
                if (a != 0 && a != 255) {
                    p[i] = Math.min(255, 255 * (int) p[i] / a);
                }
            }
        }
    }
}
