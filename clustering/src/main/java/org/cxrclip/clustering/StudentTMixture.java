package org.cxrclip.clustering;

/**
 * Mixture of multivariate Student-t distributions fitted by ECM (Peel & McLachlan 2000). Heavy tails down-weight
 * far samples in the means and covariances (u = (ν + d)/(ν + δ²)), so outliers do not drag components. ν is
 * fixed (CXR-CML: 4) or learned per component, starting from {@link #LEARN_START}.
 */
public final class StudentTMixture extends Mixture {
    /** Where a learned ν starts. */
    public static final double LEARN_START = 10;
    private final double nu;
    private final boolean learn;

    private StudentTMixture(MixtureOptions options, double nu, boolean learn) {
        super(options);
        if (!(nu > 0) || Double.isInfinite(nu))
            throw new IllegalArgumentException("nu must be a finite value > 0, got " + nu);
        this.nu = nu;
        this.learn = learn;
    }

    /** ν fixed for all components. */
    public static StudentTMixture fixedNu(MixtureOptions options, double nu) {
        return new StudentTMixture(options, nu, false);
    }

    /** ν learned per component by solving the digamma equation each M-step. */
    public static StudentTMixture learnedNu(MixtureOptions options) {
        return new StudentTMixture(options, LEARN_START, true);
    }

    @Override
    boolean gaussian() {
        return false;
    }

    @Override
    double initialNu() {
        return nu;
    }

    @Override
    boolean learnNu() {
        return learn;
    }
}
