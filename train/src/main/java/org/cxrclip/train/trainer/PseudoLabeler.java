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
        return fit(embed(model, train, config, epoch, 0, train.size()), config, epoch, refit);
    }

    /**
     * L2-normalised image embeddings of train rows [from, to), row-major (to−from, dim) in data-set order;
     * {@code seen[i]} is false where row from+i could not be read (its embedding is zeros).
     */
    public record Embeddings(int from, int dim, float[] x, boolean[] seen) {
        public int size() {
            return seen.length;
        }
    }

    /**
     * Embeds train rows [from, to) in batches of {@code config.batch()} counted from {@code from}: a range that
     * starts at a multiple of the batch is cut into the very batches of a whole-split pass, so shards embedded
     * apart (data-parallel training) give the numbers of {@link #fit(Clip, Dataset, TrainConfig, int, int)}.
     */
    public static Embeddings embed(Clip model, Dataset train, TrainConfig config, int epoch, int from, int to) {
        if (from < 0 || to < from || to > train.size())
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") outside a train split of " + train.size());
        int n = to - from, d = model.config().embedDim(), r = model.config().imageResolution();
        float[] x = new float[n * d];
        boolean[] seen = new boolean[n];
        if (n == 0) return new Embeddings(from, d, x, seen);
        Dataset rows = from == 0 && to == train.size() ? train : train.withSamples(train.samples().subList(from, to));
        var pipeline = new ImagePipeline(new ClipTransform(r), null, config.seed());
        try (var loader = new BatchLoader(rows, pipeline, config.batch(), epoch, false, config.seed(), config.loaderThreads(), 2);
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
        return new Embeddings(from, d, x, seen);
    }

    /** Fits the mixture to the embeddings of the whole split (from = 0) and labels every row (-1: unread). */
    public static Labels fit(Embeddings all, TrainConfig config, int epoch, int refit) {
        if (all.from() != 0) throw new IllegalArgumentException("the mixture is fitted on the whole split, got rows from " + all.from());
        int n = all.size(), d = all.dim();
        int m = 0;
        for (boolean s : all.seen()) if (s) m++;
        if (m < 2) throw new IllegalStateException("CML: fewer than 2 readable train images, cannot fit a mixture");
        float[] packed = new float[m * d];
        int[] rowOf = new int[m];
        for (int i = 0, p = 0; i < n; i++)
            if (all.seen()[i]) {
                System.arraycopy(all.x(), i * d, packed, p * d, d);
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
