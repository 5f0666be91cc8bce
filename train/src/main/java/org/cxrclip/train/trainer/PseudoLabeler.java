package org.cxrclip.train.trainer;

import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clustering.GaussianMixture;
import org.cxrclip.clustering.Mixture;
import org.cxrclip.clustering.MixtureFit;
import org.cxrclip.clustering.MixtureOptions;
import org.cxrclip.clustering.StudentTMixture;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;

/**
 * CXR-CML's pseudo-labels for one epoch: embed every train image with the current model (no gradient, no
 * augmentation, data-set order), L2-normalise, fit the mixture and take each image's most probable component.
 * Images that cannot be read get label -1; they are also skipped by the training loader, so never used.
 */
public final class PseudoLabeler {
    /** Labels per data-set index, the k fitted and the mixture's mean log-likelihood. */
    public record Labels(int[] labels, int k, double meanLogLikelihood) {}

    private PseudoLabeler() {}

    public static Labels fit(Clip model, Dataset train, TrainConfig config, int epoch) {
        return fit(model, train, config, epoch, 0);
    }

    /** @param refit 0 at an epoch start, then 1, 2, ... for the refits within the epoch (--refit-every) */
    public static Labels fit(Clip model, Dataset train, TrainConfig config, int epoch, int refit) {
        int n = train.size(), d = model.config().embedDim(), r = model.config().imageResolution();
        float[] x = new float[n * d];
        boolean[] seen = new boolean[n];
        var pipeline = new ImagePipeline(new ClipTransform(r), null, config.seed());
        try (var loader = new BatchLoader(train, pipeline, config.batch(), epoch, false, config.seed(), config.loaderThreads(), 2);
             var ignored = Autograd.noGrad()) {
            while (loader.hasNext()) {
                BatchLoader.Batch b = loader.next();
                if (b.size() == 0) continue;
                float[] f = ClipEncoder.normalizeRows(
                        model.encodeImage(Tensor.of(model.logitScale.backend(), b.pixels(), b.size(), 3, r, r)).toArray(), d);
                for (int i = 0; i < b.size(); i++) {
                    int idx = b.indices()[i];
                    System.arraycopy(f, i * d, x, idx * d, d);
                    seen[idx] = true;
                }
            }
        }
        int m = 0;
        for (boolean s : seen) if (s) m++;
        if (m < 2) throw new IllegalStateException("CML: fewer than 2 readable train images, cannot fit a mixture");
        float[] packed = new float[m * d];
        int[] rowOf = new int[m];
        for (int i = 0, p = 0; i < n; i++)
            if (seen[i]) {
                System.arraycopy(x, i * d, packed, p * d, d);
                rowOf[p++] = i;
            }
        int k = config.cml().effectiveK(m);
        // The seed changes per epoch (and refit) so that a poor initialisation is not repeated every time.
        long seed = config.seed() * 1_000_003L + epoch + refit * 1_000_000_007L;
        MixtureOptions options = MixtureOptions.defaults(k).withSeed(seed).withRegCovar(1e-4);
        Mixture mixture = config.cml().family() == TrainConfig.Family.GAUSSIAN ? new GaussianMixture(options)
                : StudentTMixture.fixedNu(options, config.cml().nu());
        MixtureFit fit = mixture.fit(packed, m, d);
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        for (int p = 0; p < m; p++) labels[rowOf[p]] = fit.labels()[p];
        return new Labels(labels, k, fit.meanLogLikelihood());
    }
}
