package org.cxrclip.train.optim;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR} with anneal_strategy "cos" and three_phase false, as the thesis
 * code uses it (stepped per batch, pct_start 0.05). Two phases over T total steps: step 0 … pct·T − 1 rises
 * from maxLr/divFactor to maxLr; from there to T − 1 it falls to maxLr/(divFactor·finalDivFactor); each with
 * cos annealing a(start, end, f) = end + (start − end)/2·(1 + cos(π·f)). With cycle_momentum the momentum (β1
 * for Adam) runs the other way, maxMomentum → baseMomentum → maxMomentum. Phase boundaries are torch's
 * float end steps (pct·T − 1 and T − 1), so the values match its sequence exactly, including fractional ones.
 */
public record OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor,
                       boolean cycleMomentum, double baseMomentum, double maxMomentum) implements LrSchedule {
    public OneCycle {
        if (!(maxLr > 0) || Double.isInfinite(maxLr))
            throw new IllegalArgumentException("OneCycle: max lr must be finite and > 0, got " + maxLr);
        if (totalSteps < 1) throw new IllegalArgumentException("OneCycle: total steps must be >= 1, got " + totalSteps);
        if (!(pctStart >= 0 && pctStart <= 1))
            throw new IllegalArgumentException("OneCycle: pct_start must be in [0, 1], got " + pctStart);
        if (!(divFactor > 0) || !(finalDivFactor > 0))
            throw new IllegalArgumentException("OneCycle: div factors must be > 0, got " + divFactor + " and " + finalDivFactor);
        // torch divides by zero here: the warm-up phase would span no steps at all.
        if (pctStart * totalSteps - 1 == 0)
            throw new IllegalArgumentException("OneCycle: pct_start " + pctStart + " x total steps " + totalSteps
                    + " = 1 leaves the warm-up phase empty (torch fails the same way); change either");
        if (pctStart * totalSteps - 1 >= totalSteps - 1)
            throw new IllegalArgumentException("OneCycle: pct_start " + pctStart + " leaves no annealing phase");
    }

    /** torch's defaults (div 25, final div 1e4, momentum cycled 0.85 ↔ 0.95), as the thesis uses them. */
    public static OneCycle torchDefaults(double maxLr, long totalSteps, double pctStart) {
        return new OneCycle(maxLr, totalSteps, pctStart, 25, 1e4, true, 0.85, 0.95);
    }

    /** The thesis' setting: torch defaults with pct_start 0.05. */
    public static OneCycle thesis(double maxLr, long totalSteps) {
        return torchDefaults(maxLr, totalSteps, 0.05);
    }

    public double initialLr() {
        return maxLr / divFactor;
    }

    public double minLr() {
        return initialLr() / finalDivFactor;
    }

    @Override
    public double lr(long step) {
        double[] ph = phase(step);
        return ph[0] == 0 ? anneal(initialLr(), maxLr, ph[1]) : anneal(maxLr, minLr(), ph[1]);
    }

    @Override
    public double momentum(long step) {
        if (!cycleMomentum) return Double.NaN;
        double[] ph = phase(step);
        return ph[0] == 0 ? anneal(maxMomentum, baseMomentum, ph[1]) : anneal(baseMomentum, maxMomentum, ph[1]);
    }

    /** {phase index, fraction of the phase} as torch's get_lr computes them. */
    private double[] phase(long step) {
        if (step < 0 || step > totalSteps)
            throw new IllegalArgumentException("OneCycle: step " + step + " outside [0, " + totalSteps
                    + "] (the schedule was built for " + totalSteps + " steps)");
        double warmEnd = pctStart * totalSteps - 1, end = totalSteps - 1;
        if (step <= warmEnd) return new double[] {0, step / warmEnd};
        return new double[] {1, (step - warmEnd) / (end - warmEnd)};
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
