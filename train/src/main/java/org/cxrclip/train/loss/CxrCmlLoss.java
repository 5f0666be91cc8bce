package org.cxrclip.train.loss;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.ops.Arithmetic;

/**
 * CXR-CML's objective: L = L_c + λ·L_m, the contrastive InfoNCE on image–text pairs plus the triplet loss on
 * the image embeddings with the mixture's cluster assignments as pseudo-labels (the paper weights both
 * equally, λ = 1). {@link Parts} keeps the two terms' values for logging.
 */
public final class CxrCmlLoss {
    private final InfoNceLoss contrastive;
    private final TripletLoss metric;
    private final float lambda;

    /** The two terms and their weighted sum (the tensor to call backward on). */
    public record Parts(Tensor total, float contrastive, float metric) {}

    public CxrCmlLoss(InfoNceLoss contrastive, TripletLoss metric, float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda))
            throw new IllegalArgumentException("CXR-CML loss: lambda must be finite and >= 0, got " + lambda);
        this.contrastive = java.util.Objects.requireNonNull(contrastive, "contrastive");
        this.metric = java.util.Objects.requireNonNull(metric, "metric");
        this.lambda = lambda;
    }

    /** λ = 1, as the paper. */
    public CxrCmlLoss(TripletLoss metric) {
        this(new InfoNceLoss(), metric, 1f);
    }

    public float lambda() {
        return lambda;
    }

    /** image (B, D) and text (B, D) features, log logit scale (one element), one pseudo-label per image. */
    public Parts forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale, int[] pseudoLabels) {
        Tensor lc = contrastive.forward(imageFeatures, textFeatures, logitScale);
        Tensor lm = metric.forward(imageFeatures, pseudoLabels);
        Tensor total = Arithmetic.add(lc, Arithmetic.mul(lm, lambda));
        return new Parts(total, lc.item(), lm.item());
    }
}
