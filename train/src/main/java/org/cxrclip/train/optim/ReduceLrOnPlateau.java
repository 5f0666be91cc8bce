package org.cxrclip.train.optim;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} in mode "min" with a relative threshold, as CXR-CML uses it
 * (factor 0.1, patience 2, stepped once per epoch with the validation loss). A metric improves when it is
 * below best·(1 − threshold); after more than {@code patience} epochs without improvement the lr is multiplied
 * by {@code factor} (not below {@code minLr}; changes smaller than 1e-8 are ignored), then {@code cooldown}
 * epochs pass before bad epochs count again. A NaN metric counts as no improvement. Stateful: {@link #state()}
 * and {@link #restore} carry it across a resume.
 */
public final class ReduceLrOnPlateau {
    private static final double EPS = 1e-8;

    private final double factor, threshold, minLr;
    private final int patience, cooldown;
    private double lr, best = Double.POSITIVE_INFINITY;
    private int badEpochs, cooldownCounter;
    private long epoch;

    /** The resumable part. */
    public record State(double lr, double best, int badEpochs, int cooldownCounter, long epoch) {}

    public ReduceLrOnPlateau(double initialLr, double factor, int patience, double threshold, int cooldown, double minLr) {
        if (!(initialLr >= 0) || Double.isInfinite(initialLr))
            throw new IllegalArgumentException("ReduceLROnPlateau: lr must be finite and >= 0, got " + initialLr);
        if (!(factor > 0 && factor < 1))
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        if (patience < 0 || cooldown < 0)
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got "
                    + patience + " and " + cooldown);
        if (!(threshold >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: threshold must be >= 0, got " + threshold);
        if (!(minLr >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: min lr must be >= 0, got " + minLr);
        this.lr = initialLr;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** CXR-CML's setting: factor 0.1, patience 2, torch's threshold 1e-4, cooldown 0, min lr 0. */
    public static ReduceLrOnPlateau cxrCml(double initialLr) {
        return new ReduceLrOnPlateau(initialLr, 0.1, 2, 1e-4, 0, 0);
    }

    /** Records one epoch's metric (lower is better); returns the lr to use from now on. */
    public double step(double metric) {
        epoch++;
        if (metric < best * (1 - threshold)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double reduced = Math.max(lr * factor, minLr);
            if (lr - reduced > EPS) lr = reduced;
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
        return lr;
    }

    /** Steps with the metric and sets the optimiser's lr. */
    public double step(double metric, Optimizer optimizer) {
        double r = step(metric);
        optimizer.setLr(r);
        return r;
    }

    public double lr() {
        return lr;
    }

    public double best() {
        return best;
    }

    public State state() {
        return new State(lr, best, badEpochs, cooldownCounter, epoch);
    }

    public void restore(State s) {
        if (s == null) throw new IllegalArgumentException("ReduceLROnPlateau: state is null");
        lr = s.lr();
        best = s.best();
        badEpochs = s.badEpochs();
        cooldownCounter = s.cooldownCounter();
        epoch = s.epoch();
    }
}
