package org.cxrclip.train.optim;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.ops.Arithmetic;

/**
 * Gradient accumulation over k micro-batches: gradients already add up across backward passes, so the trainer
 * backpropagates {@link #scale}(loss) = loss/k for each micro-batch (the accumulated gradient is then the mean
 * over the k micro-batches) and steps the optimiser when {@link #microStepDone()} returns true. Note for the
 * contrastive loss: each micro-batch only sees its own negatives, so k micro-batches of B are not one batch
 * of k·B (GradCache-style feature caching would be needed for that).
 */
public final class GradAccumulation {
    private final int microBatches;
    private int done;

    public GradAccumulation(int microBatches) {
        if (microBatches < 1)
            throw new IllegalArgumentException("gradient accumulation: micro-batches must be >= 1, got " + microBatches);
        this.microBatches = microBatches;
    }

    public int microBatches() {
        return microBatches;
    }

    /** loss / k (loss itself when k = 1), on the graph. */
    public Tensor scale(Tensor loss) {
        return microBatches == 1 ? loss : Arithmetic.mul(loss, 1f / microBatches);
    }

    /** Call after each micro-batch's backward; true on every k-th call: time to step and zero the gradients. */
    public boolean microStepDone() {
        done++;
        if (done < microBatches) return false;
        done = 0;
        return true;
    }

    /** Micro-batches accumulated since the last optimiser step (0 … k−1); for resuming mid-accumulation. */
    public int pending() {
        return done;
    }

    /** Forgets pending micro-batches (e.g. at the end of an epoch whose length is not a multiple of k). */
    public void reset() {
        done = 0;
    }
}
