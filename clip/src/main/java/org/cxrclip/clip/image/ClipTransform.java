package org.cxrclip.clip.image;

/**
 * openai/CLIP's {@code _transform(n_px)}: {@code Resize(n_px, BICUBIC)} on the PIL image (shorter side →
 * n, longer side int(n·long/short), PIL's antialiased bicubic a = −0.5) → {@code CenterCrop(n)} (offsets
 * int(round((size − n)/2)), round half to even) → {@code convert('RGB')} → /255 → normalise with CLIP's
 * mean and std. Arithmetic after the resize is float32 in torch's order, so results match torchvision to
 * float rounding when the pixels match PIL's (they do bit for bit for 8-bit PNGs; see the golden tests).
 */
public final class ClipTransform implements ImageTransform {
    /** CLIP's per-channel mean (R, G, B) on the 0..1 scale. */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** CLIP's per-channel standard deviation (R, G, B). */
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;

    /** @param size n_px, 224 for ViT-B/32 */
    public ClipTransform(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("CLIP input size must be positive, got " + size);
        }
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void applyInto(DecodedImage image, float[] dst, int offset) {
        float[][] rgb = resizeCropRgb(image);
        int plane = size * size;
        if (offset < 0 || offset + 3 * plane > dst.length) {
            throw new IllegalArgumentException("output of " + 3 * plane + " values at offset " + offset
                    + " does not fit an array of " + dst.length);
        }
        for (int c = 0; c < 3; c++) {
            float[] src = rgb[c];
            float mean = MEAN[c];
            float std = STD[c];
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[o + i] = (src[i] / 255f - mean) / std;
            }
        }
    }

    /** The PIL half: Resize + CenterCrop + convert('RGB'), three (n, n) planes of 0..255 values. */
    public float[][] resizeCropRgb(DecodedImage image) {
        int w = image.width();
        int h = image.height();
        int outW;
        int outH;
        if (w <= h) {
            outW = size;
            outH = (int) ((double) size * h / w);
        } else {
            outW = (int) ((double) size * w / h);
            outH = size;
        }
        DecodedImage resized = PilImage.resize(image, outW, outH, PilResample.Filter.BICUBIC);
        int top = (int) Math.rint((outH - size) / 2.0);
        int left = (int) Math.rint((outW - size) / 2.0);
        return PilImage.toRgb(PilImage.crop(resized, left, top, size, size));
    }
}
