package org.cxrclip.train.optim;

/**
 * Linear warm-up then cosine decay to a floor (open_clip's {@code cosine_lr}, with a floor): for
 * step < W, lr = base·(step + 1)/W; afterwards, with e = step − W and E = total − W,
 * lr = floor + (base − floor)·(1 + cos(π·e/E))/2, reaching the floor at step = total; steps past the end stay
 * at the floor.
 */
public record WarmupCosine(double baseLr, long warmupSteps, long totalSteps, double floorLr) implements LrSchedule {
    public WarmupCosine {
        if (!(baseLr >= 0) || Double.isInfinite(baseLr))
            throw new IllegalArgumentException("warm-up cosine: base lr must be finite and >= 0, got " + baseLr);
        if (!(floorLr >= 0 && floorLr <= baseLr))
            throw new IllegalArgumentException("warm-up cosine: floor lr " + floorLr + " must be in [0, base lr " + baseLr + "]");
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps)
            throw new IllegalArgumentException("warm-up cosine: need 0 <= warm-up steps (" + warmupSteps
                    + ") <= total steps (" + totalSteps + ") and total >= 1");
    }

    @Override
    public double lr(long step) {
        if (step < 0) throw new IllegalArgumentException("warm-up cosine: negative step " + step);
        if (step < warmupSteps) return baseLr * (step + 1) / warmupSteps;
        long decaySteps = totalSteps - warmupSteps;
        if (decaySteps == 0 || step >= totalSteps) return floorLr;
        double progress = (double) (step - warmupSteps) / decaySteps;
        return floorLr + (baseLr - floorLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
