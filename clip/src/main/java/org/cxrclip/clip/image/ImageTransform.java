package org.cxrclip.clip.image;

import java.util.List;

/**
 * A preprocessing pipeline from decoded pixels to the (3, n, n) CHW float input of an image encoder.
 * Implementations are immutable and thread-safe, so one instance can feed a parallel data loader.
 */
public interface ImageTransform {

    /** n: the output is (3, n, n). */
    int size();

    /** Writes the (3, n, n) result for {@code image} into {@code dst[offset ..  offset + 3·n·n)}. */
    void applyInto(DecodedImage image, float[] dst, int offset);

    /** The (3, n, n) result as a new array. */
    default float[] apply(DecodedImage image) {
        float[] out = new float[3 * size() * size()];
        applyInto(image, out, 0);
        return out;
    }

    /** A (B, 3, n, n) batch, image b at offset b·3·n·n. */
    default float[] applyBatch(List<DecodedImage> images) {
        int stride = 3 * size() * size();
        float[] out = new float[images.size() * stride];
        for (int b = 0; b < images.size(); b++) {
            applyInto(images.get(b), out, b * stride);
        }
        return out;
    }
}
