package org.cxrclip.engine.ops;

import org.cxrclip.engine.Tensor;

/**
 * x / sqrt(‖x‖₂² + eps²) along an axis: PyTorch's {@code F.normalize} (x / max(‖x‖₂, eps)) for every x whose
 * norm is not within a few eps of 0, but with a finite gradient at x = 0 where the max form gives NaN (0·∞ from
 * the square root). CLIP normalises its embeddings with it before the cosine logits. Composed from primitives (correct by construction; the embeddings it sees are
 * (B, 512), far too small to be worth a fused kernel), so its gradient comes from theirs.
 */
public final class L2Normalize {
    /** PyTorch's default eps. */
    public static final float DEFAULT_EPS = 1e-12f;

    private L2Normalize() {}

    /** Normalises along the last axis. */
    public static Tensor normalize(Tensor x) {
        return normalize(x, -1, DEFAULT_EPS);
    }

    public static Tensor normalize(Tensor x, int axis, float eps) {
        if (!(eps > 0)) throw new IllegalArgumentException("normalize: eps must be > 0, got " + eps);
        Tensor sq = Reductions.sum(Arithmetic.mul(x, x), axis, true); // x's shape with the axis of size 1
        return Arithmetic.div(x, Activations.sqrt(Arithmetic.add(sq, eps * eps)));
    }
}
