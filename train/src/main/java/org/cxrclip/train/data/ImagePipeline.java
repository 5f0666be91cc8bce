package org.cxrclip.train.data;

import java.nio.file.Path;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.engine.Rng;

/**
 * One training image from file to CLIP input: decode → CLIP resize (shorter side, PIL bicubic) + centre crop
 * → [train] random affine → /255 and CLIP mean/std, written as (3, n, n) into a batch array.
 *
 * <p>Order: the augmentation runs after the resize and crop, on the n×n image, as the thesis' transform list
 * does (Resize → CenterCrop → RandomAffine → ToTensor → Normalize). That keeps our augmented inputs
 * distributed like the paper's (shift is a fraction of the cropped image, the corners filled black are the
 * crop's), and warping 224² pixels is far cheaper than warping a 2500×3000 original. Without augmentation the
 * output equals {@link ClipTransform#applyInto} exactly.
 *
 * <p>The augmentation seed of a sample is hash(baseSeed, epoch, index), so a sample looks the same for a
 * given (seed, epoch) whatever the thread count or batch composition. Thread-safe.
 */
public final class ImagePipeline {
    private final ClipTransform transform;
    private final RandomAffine augment;
    private final long seed;

    /** @param augment null for evaluation (no augmentation) */
    public ImagePipeline(ClipTransform transform, RandomAffine augment, long seed) {
        this.transform = transform;
        this.augment = augment;
        this.seed = seed;
    }

    public int size() {
        return transform.size();
    }

    /** Floats per image: 3·n·n. */
    public int stride() {
        return 3 * transform.size() * transform.size();
    }

    public boolean augments() {
        return augment != null;
    }

    /** The augmentation seed of sample {@code index} in {@code epoch}. */
    public long sampleSeed(int epoch, int index) {
        return Rng.hash(Rng.hash(seed, epoch), index);
    }

    /** Decodes and transforms {@code file} into {@code dst[offset, offset + stride())}; ImageReadException if unreadable. */
    public void load(Path file, int epoch, int index, float[] dst, int offset) {
        var image = ImageDecoder.read(file);
        if (augment == null) {
            transform.applyInto(image, dst, offset);
            return;
        }
        int n = transform.size();
        float[][] rgb = transform.resizeCropRgb(image);
        RandomAffine.Params p = augment.sample(sampleSeed(epoch, index), n, n);
        float[][] warped = new float[3][];
        for (int c = 0; c < 3; c++) {
            // gray images share one plane for R, G and B: warp it once
            if (c > 0 && rgb[c] == rgb[c - 1]) warped[c] = warped[c - 1];
            else {
                warped[c] = new float[n * n];
                augment.warp(rgb[c], warped[c], n, n, p);
            }
        }
        int plane = n * n;
        for (int c = 0; c < 3; c++) {
            float[] src = warped[c];
            float mean = ClipTransform.MEAN[c], std = ClipTransform.STD[c];
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) dst[o + i] = (src[i] / 255f - mean) / std;
        }
    }
}
