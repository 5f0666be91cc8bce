package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/**
 * Fused scaled-dot-product attention over a flattened batch of heads: q (B, T, D), k (B, S, D), v (B, S, E),
 * out (B, T, E), probs (B, T, S) saved for backward. probs = softmax(scale · q·kᵀ + mask) where mask (T, S) is
 * additive (may be null) and {@code causal} hides keys s > t.
 */
public interface AttentionKernels {
    void attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, Tensor out, Tensor probs);

    /** Writes dq, dk, dv (overwritten) from the saved probs. */
    void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor gradOut, float scale,
                           Tensor dq, Tensor dk, Tensor dv);
}
