package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** Fused normalisations over the last axis: layer norm, (log-)softmax and softmax cross-entropy. */
public interface NormKernels {
    /** x, out (rows, C); gamma, beta (C); mean, rstd (rows) saved for backward. */
    void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd);

    /** Writes gradX (rows, C) and gradGamma, gradBeta (C) (overwritten, not accumulated). */
    void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gradOut,
                           Tensor gradX, Tensor gradGamma, Tensor gradBeta);

    /** out = softmax(x) or log_softmax(x) over the last axis. */
    void softmax(Tensor x, boolean log, Tensor out);

    /** gradIn from the saved output y of {@link #softmax}. */
    void softmaxBackward(Tensor y, boolean log, Tensor gradOut, Tensor gradIn);

    /**
     * Mean cross-entropy of logits (N, C) against integer targets in [0, C); writes logProbs (N, C) for backward
     * and the scalar loss into {@code loss} (one element).
     */
    void crossEntropy(Tensor logits, int[] targets, Tensor logProbs, Tensor loss);

    /** gradLogits = gradLoss · (softmax − onehot) / N, from saved logProbs; gradLoss has one element. */
    void crossEntropyBackward(Tensor logProbs, int[] targets, Tensor gradLoss, Tensor gradLogits);
}
