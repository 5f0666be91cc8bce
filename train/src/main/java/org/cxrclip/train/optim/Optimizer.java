package org.cxrclip.train.optim;

/**
 * What the trainer and the schedules need from an optimiser. One learning rate and one momentum for all
 * parameters: the schedules set them every step; weight decay is per parameter (see {@link WeightDecayRule}).
 * Parameters whose gradient is null (frozen, or unused this step) are skipped and keep their state, as in torch.
 */
public interface Optimizer {
    /** Applies one update from the current gradients, in place, without recording autograd history. */
    void step();

    /** Clears the gradients of every parameter. */
    void zeroGrad();

    double lr();

    void setLr(double lr);

    /** SGD's momentum, or Adam's β1 (what OneCycle's cycle_momentum drives). */
    double momentum();

    void setMomentum(double momentum);

    /** Number of {@link #step()} calls so far (also restored by {@link #loadState}). */
    long stepCount();

    /** A deep copy of the moments and step counters, for a checkpoint. */
    OptimizerState state();

    /** Restores {@link #state()}; names and sizes must match the parameters, or it throws naming the first bad key. */
    void loadState(OptimizerState state);
}
