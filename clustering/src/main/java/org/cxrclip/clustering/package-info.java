/**
 * Mixture models fitted by EM on embeddings (Gaussian, Student-t) whose clusters give CXR-CML its pseudo-labels.
 *
 * <p>Public API: {@link org.cxrclip.clustering.GaussianMixture}, {@link org.cxrclip.clustering.StudentTMixture}
 * (both {@link org.cxrclip.clustering.Mixture}: fit, predict, predictProba, score, bic, parameters),
 * {@link org.cxrclip.clustering.MixtureOptions}, {@link org.cxrclip.clustering.CovarianceType}, the result
 * {@link org.cxrclip.clustering.MixtureFit}, {@link org.cxrclip.clustering.IterativeFit} (one EM step at a
 * time), {@link org.cxrclip.clustering.Pca} and {@link org.cxrclip.clustering.AdjustedRandIndex}.
 * Inside: {@code EmFitter} (the loop and restarts), {@code EmPass} (fused E-step and M-step sums over row
 * blocks), {@code Components} (parameters and M-step), {@code BlockKernels} with the exact and GEMM twins,
 * {@code Cholesky}, {@code NuEquation}, {@code KMeansPlusPlus}, {@code CanonicalOrder}.
 */
package org.cxrclip.clustering;
