package org.cxrclip.train.generate;

import java.util.IdentityHashMap;
import java.util.Map;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.BilinearResize;
import org.cxrclip.engine.ops.L2Normalize;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Reductions;
import org.cxrclip.train.optim.AdamW;

/**
 * Text-to-image by gradient ascent on CLIP's image-text cosine similarity (Language over Labels §3.5, §4.5):
 * an {@link ImagePyramid} is rendered, brought to the model resolution, copied and augmented
 * ({@link GuidanceAugmentations}), replicated to three channels, CLIP-normalised and encoded; the loss is minus
 * the mean cosine similarity of the copies to the text embedding, and AdamW (the thesis code's optimiser:
 * decoupled weight decay, torch's β and ε defaults) with lr 0.03 and weight decay 0.1 updates the pyramid's pixels.
 * CLIP's own parameters are frozen for the run (their requiresGrad flags are restored afterwards).
 */
public final class TextToImage {
    /**
     * @param steps     optimiser steps (the paper: 100)
     * @param copies    augmented copies per step, encoded as one batch (the thesis config: 16)
     * @param size      generated image size in pixels; 0 means the model's input resolution
     */
    public record Settings(int steps, double lr, double weightDecay, int copies, int size, long seed,
                           GuidanceAugmentations.Settings augmentations) {
        public Settings {
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            if (copies < 1) throw new IllegalArgumentException("copies per step must be >= 1, got " + copies);
            if (size < 0) throw new IllegalArgumentException("image size must be >= 0 (0 = model resolution), got " + size);
        }

        /** The paper's settings: 100 steps, lr 0.03, weight decay 0.1, 16 copies, image at the model resolution. */
        public static Settings paper(long seed) {
            return new Settings(100, 0.03, 0.1, 16, 0, seed, GuidanceAugmentations.VQGAN_CLIP);
        }
    }

    /**
     * The generated image (size × size, row-major, not clamped), the mean cosine similarity of the augmented
     * copies at each step, and the similarity of the plain (un-augmented) image before and after.
     */
    public record Result(float[] pixels, int size, double[] stepSimilarity, double initialSimilarity, double finalSimilarity) {}

    /** Called after every step with (step, steps, mean similarity of that step's copies). */
    public interface StepListener {
        void onStep(int step, int steps, double similarity);
    }

    private TextToImage() {}

    /** Generates one image for a text embedding (embed values, need not be normalised). */
    public static Result generate(Clip clip, float[] textEmbedding, Settings s, StepListener listener) {
        int res = clip.config().imageResolution(), dim = clip.config().embedDim();
        if (textEmbedding.length != dim)
            throw new IllegalArgumentException("text embedding has " + textEmbedding.length + " values, the model embeds in " + dim);
        Backend backend = clip.logitScale.backend();
        int size = s.size() == 0 ? res : s.size();
        Tensor text = L2Normalize.normalize(Tensor.of(backend, textEmbedding, dim, 1), 0, L2Normalize.DEFAULT_EPS);
        Rng rng = new Rng(s.seed());
        ImagePyramid pyramid = new ImagePyramid(backend, size, rng.split());
        Rng augRng = rng.split();
        GuidanceAugmentations aug = new GuidanceAugmentations(s.augmentations());
        AdamW opt = new AdamW(pyramid.parameters(), new AdamW.Config(s.lr(), 0.9, 0.999, 1e-8, s.weightDecay()));
        Map<Tensor, Boolean> frozen = freeze(clip);
        try {
            double initial = plainSimilarity(clip, pyramid, res, text);
            double[] trace = new double[s.steps()];
            for (int step = 0; step < s.steps(); step++) {
                Tensor image = pyramid.render();
                if (size != res) image = BilinearResize.resize(image, res, res);
                Tensor cos = similarity(clip, aug.apply(image, s.copies(), augRng), text); // (copies, 1)
                Tensor mean = Reductions.mean(cos);
                trace[step] = mean.item();
                Activations.neg(mean).backward();
                opt.step();
                opt.zeroGrad();
                if (listener != null) listener.onStep(step + 1, s.steps(), trace[step]);
            }
            return new Result(pyramid.pixels(), size, trace, initial, plainSimilarity(clip, pyramid, res, text));
        } finally {
            frozen.forEach(Tensor::requiresGrad);
        }
    }

    /** Cosine similarity of grey images (B, 1, R, R) in [0, 1] to a unit text embedding (D, 1) → (B, 1). */
    static Tensor similarity(Clip clip, Tensor grey, Tensor text) {
        int b = grey.dim(0), r = grey.dim(2);
        Backend backend = grey.backend();
        Tensor rgb = Arithmetic.expand(grey, b, 3, r, r);
        float[] mean = ClipTransform.MEAN, std = ClipTransform.STD;
        float[] invStd = {1 / std[0], 1 / std[1], 1 / std[2]};
        Tensor normalised = Arithmetic.mul(Arithmetic.sub(rgb, Tensor.of(backend, mean.clone(), 1, 3, 1, 1)),
                Tensor.of(backend, invStd, 1, 3, 1, 1));
        Tensor features = L2Normalize.normalize(clip.encodeImage(normalised));
        return MatMul.matmul(features, text);
    }

    /** Similarity of the current image itself (resized to the model, no augmentation). */
    private static double plainSimilarity(Clip clip, ImagePyramid pyramid, int res, Tensor text) {
        try (var g = Autograd.noGrad()) {
            Tensor image = pyramid.render();
            if (image.dim(2) != res) image = BilinearResize.resize(image, res, res);
            return similarity(clip, image, text).item();
        }
    }

    /** Turns off the gradients of CLIP's parameters; returns their previous flags for restoring. */
    private static Map<Tensor, Boolean> freeze(Clip clip) {
        Map<Tensor, Boolean> flags = new IdentityHashMap<>();
        for (Tensor p : clip.parameters()) {
            flags.put(p, p.requiresGrad());
            p.requiresGrad(false);
        }
        return flags;
    }
}
