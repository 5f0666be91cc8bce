package org.cxrclip.clustering;

/** Mixture of multivariate Gaussians fitted by EM (the GMM CXR-CML starts from). */
public final class GaussianMixture extends Mixture {
    public GaussianMixture(MixtureOptions options) {
        super(options);
    }

    @Override
    boolean gaussian() {
        return true;
    }

    @Override
    double initialNu() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    boolean learnNu() {
        return false;
    }
}
