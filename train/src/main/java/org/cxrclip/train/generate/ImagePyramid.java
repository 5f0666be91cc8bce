package org.cxrclip.train.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.BilinearResize;

/**
 * The image being generated, parameterised as in Language over Labels §4.5: several single-channel images of
 * decreasing resolution (224, 112, 61, 30 and 15 px for a 224 px image), each drawn from N(0.5, 0.25), resized
 * (bilinear) to the full size and averaged. Coarse levels carry the overall shapes, fine levels the details.
 * For another image size the level sizes scale with it (64 px: 64, 32, 17, 9, 4).
 */
public final class ImagePyramid {
    /** The paper's level sizes for a 224 px image. */
    public static final int[] PAPER_SIZES = {224, 112, 61, 30, 15};
    public static final float INIT_MEAN = 0.5f, INIT_STD = 0.25f;

    private final int size;
    private final Map<String, Tensor> levels = new LinkedHashMap<>();

    /** Seeded N(0.5, 0.25) levels, learnable, on the given backend. */
    public ImagePyramid(Backend backend, int size, Rng rng) {
        this.size = size;
        for (int s : levelSizes(size)) {
            Tensor level = Arithmetic.add(Tensor.randn(backend, rng, INIT_STD, 1, 1, s, s), INIT_MEAN);
            levels.put("level_" + s, level.requiresGrad(true));
        }
    }

    /** The paper's sizes scaled to {@code size} (rounded, at least 1 px), largest first. */
    public static int[] levelSizes(int size) {
        if (size < 1) throw new IllegalArgumentException("image size must be >= 1 px, got " + size);
        int[] out = new int[PAPER_SIZES.length];
        for (int i = 0; i < out.length; i++) out[i] = Math.max(1, (int) Math.round(PAPER_SIZES[i] * (double) size / 224));
        return out;
    }

    public int size() {
        return size;
    }

    /** The learnable levels by name ("level_224", ...), for the optimiser. */
    public Map<String, Tensor> parameters() {
        return levels;
    }

    /** The image (1, 1, size, size): the mean of the levels resized to the full size; differentiable. */
    public Tensor render() {
        List<Tensor> up = new ArrayList<>();
        for (Tensor level : levels.values()) up.add(BilinearResize.resize(level, size, size));
        Tensor sum = up.get(0);
        for (int i = 1; i < up.size(); i++) sum = Arithmetic.add(sum, up.get(i));
        return Arithmetic.mul(sum, 1f / up.size());
    }

    /** The current image as (size·size) host values, not clamped. */
    public float[] pixels() {
        try (var g = Autograd.noGrad()) {
            return render().toArray();
        }
    }
}
