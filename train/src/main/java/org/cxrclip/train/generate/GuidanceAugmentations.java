package org.cxrclip.train.generate;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.GridSample;

/**
 * The augmentations that keep pixel-space CLIP guidance from producing adversarial noise (Language over Labels
 * §4.5 uses VQGAN-CLIP's pipeline, REFERENCE.md §4): the image is copied {@code copies} times and each copy gets,
 * each with probability 0.7, a random affine warp (rotation ±15°, translation ±10 %, x-shear ±5°, zero padding),
 * a random perspective warp (distortion 0.7: each corner moves inwards by up to 35 % of the side), a colour
 * jitter (for a grey image: brightness shift ±0.1, contrast factor 1 ± 0.1) and random erasing (10–40 % of the
 * area, aspect 0.3–3.3, set to 0); then Gaussian noise with σ ~ U(0, 0.1) per copy.
 *
 * <p>Random parameters are drawn here, on the host, from the caller's seeded {@link Rng}; the pixels flow through
 * differentiable ops only (grid sampling for the warps, multiply/add for the rest), so the gradient reaches the
 * image. Differences from kornia, on purpose: the two warps are composed into one homography and sampled once
 * (one bilinear blur instead of two); jitter and erasing do not clamp to [0, 1], which would zero the gradient of
 * saturated pixels.
 */
public final class GuidanceAugmentations {
    /** The parameters (VQGAN-CLIP's defaults in {@link #VQGAN_CLIP}). */
    public record Settings(double probability, double degrees, double translate, double shearDeg, double distortion,
                           double brightness, double contrast, double eraseMin, double eraseMax, double ratioMin,
                           double ratioMax, double noise) {}

    public static final Settings VQGAN_CLIP = new Settings(0.7, 15, 0.1, 5, 0.7, 0.1, 0.1, 0.1, 0.4, 0.3, 3.3, 0.1);

    private final Settings s;

    public GuidanceAugmentations(Settings settings) {
        this.s = settings;
    }

    /** image (1, 1, R, R) → (copies, 1, R, R) augmented copies, differentiable in the image. */
    public Tensor apply(Tensor image, int copies, Rng rng) {
        int r = image.dim(2);
        Backend b = image.backend();
        Tensor x = Arithmetic.expand(image, copies, 1, r, r);
        x = GridSample.sample(x, warpGrid(copies, r, rng), r, r);
        float[] contrast = new float[copies], shift = new float[copies], sigma = new float[copies];
        for (int i = 0; i < copies; i++) {
            boolean jitter = rng.nextDouble() < s.probability();
            contrast[i] = jitter ? (float) uniform(rng, 1 - s.contrast(), 1 + s.contrast()) : 1f;
            shift[i] = jitter ? (float) uniform(rng, -s.brightness(), s.brightness()) : 0f;
        }
        x = Arithmetic.add(Arithmetic.mul(x, Tensor.of(b, contrast, copies, 1, 1, 1)), Tensor.of(b, shift, copies, 1, 1, 1));
        x = Arithmetic.mul(x, Tensor.of(b, erasingMask(copies, r, rng), copies, 1, r, r));
        float[] noise = new float[copies * r * r];
        for (int i = 0; i < copies; i++) {
            sigma[i] = (float) uniform(rng, 0, s.noise());
            for (int p = 0; p < r * r; p++) noise[i * r * r + p] = (float) (sigma[i] * rng.nextGaussian());
        }
        return Arithmetic.add(x, Tensor.of(b, noise, copies, 1, r, r));
    }

    /**
     * For each copy the map from output pixel to source pixel (inverse perspective, then inverse affine: the
     * image is first warped affinely, then in perspective), as a grid_sample grid (copies, R, R, 2) with
     * align_corners=False coordinates: pixel centre p ↦ (2p + 1)/R − 1.
     */
    float[] warpGrid(int copies, int r, Rng rng) {
        float[] grid = new float[copies * r * r * 2];
        double c = (r - 1) / 2.0;
        for (int n = 0; n < copies; n++) {
            double[] affine = Homography.identity(), perspective = Homography.identity();
            if (rng.nextDouble() < s.probability())
                affine = Homography.affine(uniform(rng, -s.degrees(), s.degrees()), uniform(rng, -s.shearDeg(), s.shearDeg()),
                        uniform(rng, -s.translate(), s.translate()) * r, uniform(rng, -s.translate(), s.translate()) * r, c, c);
            if (rng.nextDouble() < s.probability()) {
                double m = r - 1, d = s.distortion() * r / 2;
                double[] corners = {0, 0, m, 0, m, m, 0, m}, inward = {1, 1, -1, 1, -1, -1, 1, -1};
                double[] moved = new double[8];
                for (int k = 0; k < 8; k++) moved[k] = corners[k] + d * rng.nextDouble() * inward[k];
                perspective = Homography.fromPoints(corners, moved);
            }
            double[] toSource = Homography.invert(Homography.multiply(perspective, affine));
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++) {
                    double[] q = Homography.apply(toSource, j, i);
                    int o = ((n * r + i) * r + j) * 2;
                    // points at infinity (never for these convex warps) sample the zero padding
                    grid[o] = q == null ? 2f : (float) Math.max(-2, Math.min(2, (2 * q[0] + 1) / r - 1));
                    grid[o + 1] = q == null ? 2f : (float) Math.max(-2, Math.min(2, (2 * q[1] + 1) / r - 1));
                }
        }
        return grid;
    }

    /** 1 everywhere except, with the probability, one erased rectangle per copy (torchvision's RandomErasing draw). */
    float[] erasingMask(int copies, int r, Rng rng) {
        float[] mask = new float[copies * r * r];
        java.util.Arrays.fill(mask, 1f);
        for (int n = 0; n < copies; n++) {
            if (rng.nextDouble() >= s.probability()) continue;
            for (int attempt = 0; attempt < 10; attempt++) { // torchvision tries 10 times, else erases nothing
                double area = r * r * uniform(rng, s.eraseMin(), s.eraseMax());
                double ratio = Math.exp(uniform(rng, Math.log(s.ratioMin()), Math.log(s.ratioMax())));
                int h = (int) Math.round(Math.sqrt(area * ratio)), w = (int) Math.round(Math.sqrt(area / ratio));
                if (h < 1 || w < 1 || h >= r || w >= r) continue;
                int top = rng.nextInt(r - h + 1), left = rng.nextInt(r - w + 1);
                for (int i = top; i < top + h; i++)
                    java.util.Arrays.fill(mask, (n * r + i) * r + left, (n * r + i) * r + left + w, 0f);
                break;
            }
        }
        return mask;
    }

    private static double uniform(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
