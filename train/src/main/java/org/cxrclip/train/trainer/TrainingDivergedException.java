package org.cxrclip.train.trainer;

/**
 * A step produced a NaN or infinite loss. The run stops before the update, so the parameters (and the last
 * checkpoint on disk, from the previous epoch end) are the last good ones.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private final int epoch;
    private final long step;

    public TrainingDivergedException(int epoch, long step, float loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", step " + step
                + " (the last good weights are the previous checkpoint; try a lower --lr)");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}
