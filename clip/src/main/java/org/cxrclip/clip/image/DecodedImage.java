package org.cxrclip.clip.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Decoded pixels as float planes in 0..255, one (height, width) row-major plane per channel, plus the PIL
 * mode the file would have been opened in, because PIL's resize and convert behave differently per mode
 * (palette and bilevel images are resized with nearest neighbour; LA/RGBA are resized premultiplied).
 *
 * <p>Planes per layout: L, GRAY16, BILEVEL: [L]; LA: [L, A]; RGB, PALETTE (expanded): [R, G, B];
 * RGBA: [R, G, B, A]. Values are integers for every layout except GRAY16, whose 16-bit samples are scaled
 * by 255/65535 (see {@link ImageDecoder} for why this differs from PIL).
 */
public record DecodedImage(Path source, int width, int height, Layout layout, float[][] planes) {

    /** The PIL mode the image would have after {@code Image.open}. */
    public enum Layout {
        /** 8-bit grayscale (PIL 'L'; also 2/4-bit grayscale PNG, scaled like PIL's L;2 and L;4). */
        L(1),
        /** 8-bit grayscale with alpha (PIL 'LA'). */
        LA(2),
        /** 8-bit RGB (PIL 'RGB'; 16-bit RGB PNGs keep the high byte, as PIL's RGB;16B does). */
        RGB(3),
        /** 8-bit RGB with alpha (PIL 'RGBA'). */
        RGBA(4),
        /** Palette image expanded to RGB (PIL 'P': PIL resizes it with nearest neighbour). */
        PALETTE(3),
        /** 1-bit image as 0/255 (PIL '1': nearest neighbour too). */
        BILEVEL(1),
        /** 16-bit grayscale scaled to 0..255 as fractional floats (PIL would open it as 'I'). */
        GRAY16(1);

        private final int channels;

        Layout(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }

    public DecodedImage {
        Objects.requireNonNull(layout, "layout");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(source + ": image size must be positive, got " + width + "x" + height);
        }
        if (planes.length != layout.channels()) {
            throw new IllegalArgumentException(source + ": layout " + layout + " needs " + layout.channels()
                    + " planes, got " + planes.length);
        }
        for (float[] p : planes) {
            if (p.length != width * height) {
                throw new IllegalArgumentException(source + ": plane of " + p.length + " values for a "
                        + width + "x" + height + " image");
            }
        }
    }

    public int channels() {
        return planes.length;
    }

    /** Plane {@code c}, (height, width) row-major. */
    public float[] plane(int c) {
        return planes[c];
    }
}
