package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/**
 * Metric learning's triplet selection behind the backend seam, so that a device backend mines triplets where the
 * distance matrix already lives and a training step never copies it to the host. The loss itself (distances
 * from embeddings, the autograd node) is the train module's {@code TripletLoss}; this family is its fused core.
 *
 * <p>Every entry of row a of dL/dD depends only on anchor a, so a backend computes each anchor's row and a
 * per-anchor partial (hinge sum, count) independently, then adds the partials in anchor order (deterministic)
 * and scales the gradient by 1/count for the mean.
 */
public interface MetricKernels {
    /** Which triplets count (see {@link #triplet}). */
    enum Mining {
        /** Every valid (a, p, n). */
        BATCH_ALL,
        /** Per valid anchor, the farthest positive and the nearest negative (first index on ties). */
        BATCH_HARD
    }

    /** How the counted hinges are combined. */
    enum Reduction {
        /**
         * Batch-all: divided by the number of strictly positive hinges; batch-hard: divided by the number of
         * valid anchors (those with a positive and a negative), zero-loss anchors included.
         */
        MEAN,
        /** Summed. */
        SUM
    }

    /**
     * The reduced triplet loss over distances D (B, B) with one label per row, and dL/dD for an upstream gradient
     * of 1. A triplet (a, p, n) has p ≠ a with a's label and n with another label; its hinge is
     * max(0, D[a, p] − D[a, n] + margin). Each counted triplet whose hinge is strictly positive adds +w to
     * dL/dD[a, p] and −w to dL/dD[a, n] (w = 1/count for the mean, 1 for the sum; the count is a constant for
     * the gradient). Anchors without a positive or a negative are skipped; when nothing counts the loss and the
     * gradient are 0.
     *
     * @param distances (B, B), contiguous
     * @param labels    B integer labels (host memory: the only input a device backend copies in)
     * @param loss      shape [], overwritten
     * @param gradient  (B, B), contiguous, overwritten
     */
    void triplet(Tensor distances, int[] labels, float margin, Mining mining, Reduction reduction, Tensor loss,
                 Tensor gradient);
}
