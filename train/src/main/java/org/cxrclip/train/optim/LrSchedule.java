package org.cxrclip.train.optim;

/**
 * A learning rate as a function of the optimiser step (0-based: {@code lr(0)} is used for the first update).
 * The trainer sets {@code optimizer.setLr(schedule.lr(step))} before each step, so a resumed run needs only
 * the step count. Metric-driven schedules are stateful instead: see {@link ReduceLrOnPlateau}.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    /** The momentum (SGD) or β1 (Adam) to use at the step, or NaN to leave the optimiser's as it is. */
    default double momentum(long step) {
        return Double.NaN;
    }

    /** Sets the optimiser's lr (and momentum, when the schedule drives it) for the given step. */
    default void applyTo(Optimizer optimizer, long step) {
        optimizer.setLr(lr(step));
        double m = momentum(step);
        if (!Double.isNaN(m)) optimizer.setMomentum(m);
    }

    /** A constant learning rate. */
    static LrSchedule constant(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("constant schedule: lr must be >= 0, got " + lr);
        return step -> lr;
    }
}
