package org.cxrclip.clustering;

/**
 * What a fit hands to the trainers as pseudo-labels: the hard cluster of each sample (in the order given to
 * fit), the largest responsibility (confidence), the log-likelihood under the final parameters (total and per
 * sample), the EM iterations run, whether the relative change fell below tol, and the per-iteration mean
 * log-likelihood of the kept restart (trace[i] is L under the parameters entering iteration i; the last entry
 * is L under the final parameters).
 */
public record MixtureFit(int[] labels, float[] maxProb, double logLikelihood, double meanLogLikelihood,
                         int iterations, boolean converged, double[] trace) {

    public int size() {
        return labels.length;
    }
}
