package org.cxrclip.train.loss;

import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.L2Normalize;
import org.cxrclip.engine.ops.PairwiseDistance;

/**
 * CXR-CML's metric loss L_m (Madhipati et al. 2025, eq. 3): max(0, d(a, p) − d(a, n) + α) over triplets
 * chosen from integer pseudo-labels (the mixture's cluster assignments), d the Euclidean distance between
 * embeddings (optionally L2-normalised first). An anchor a has positives p ≠ a with its label and negatives
 * n with another label; anchors lacking either are skipped.
 * <ul>
 *   <li>{@link Mining#BATCH_ALL}: every valid (a, p, n). With {@link Reduction#MEAN} the loss is the sum of the
 *       triplet losses divided by the number of triplets whose loss is strictly positive (the usual batch-all
 *       definition, Hermans et al. 2017 / Moindrot's TF code), so easy triplets do not dilute the gradient.</li>
 *   <li>{@link Mining#BATCH_HARD}: per valid anchor the farthest positive and nearest negative (first index on
 *       ties); {@link Reduction#MEAN} averages over the valid anchors, including those with zero loss.</li>
 * </ul>
 * {@link Reduction#SUM} is eq. 3 literally. A batch without a valid (or, for batch-all mean, positive)
 * triplet gives 0 with zero gradient. The distances (B, B) come from engine ops (one GEMM); the selection over
 * B³ triplets is a small fused node ({@link TripletSelection}, a backend kernel family) so no (B, B, B) tensor is
 * ever built and, on a device backend, neither D nor its gradient leaves the device.
 */
public final class TripletLoss {
    /** How triplets are chosen from the batch. */
    public enum Mining { BATCH_ALL, BATCH_HARD }

    /** How the per-triplet (batch-all) or per-anchor (batch-hard) losses are combined. */
    public enum Reduction { MEAN, SUM }

    /** Added to squared distances before the square root: keeps d's gradient finite at d = 0 (the diagonal). */
    static final float SQRT_EPS = 1e-12f;

    private final float margin;
    private final Mining mining;
    private final Reduction reduction;
    private final boolean normalize;

    public TripletLoss(float margin, Mining mining, Reduction reduction, boolean normalize) {
        if (!(margin >= 0) || Float.isInfinite(margin))
            throw new IllegalArgumentException("triplet loss: margin must be finite and >= 0, got " + margin);
        this.margin = margin;
        this.mining = java.util.Objects.requireNonNull(mining, "mining");
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
        this.normalize = normalize;
    }

    /** Mean reduction. */
    public TripletLoss(float margin, Mining mining, boolean normalize) {
        this(margin, mining, Reduction.MEAN, normalize);
    }

    public float margin() {
        return margin;
    }

    public Mining mining() {
        return mining;
    }

    /** Loss for embeddings (B, D) with one pseudo-label per row. */
    public Tensor forward(Tensor embeddings, int[] labels) {
        if (embeddings.rank() != 2)
            throw new ShapeException("triplet loss: embeddings must be (batch, dim), got "
                    + java.util.Arrays.toString(embeddings.shape()));
        if (labels == null || labels.length != embeddings.dim(0))
            throw new ShapeException("triplet loss: " + (labels == null ? "no" : labels.length) + " labels for "
                    + embeddings.dim(0) + " embeddings");
        Tensor z = normalize ? L2Normalize.normalize(embeddings) : embeddings;
        Tensor d = Activations.sqrt(Arithmetic.add(PairwiseDistance.squaredEuclidean(z, z), SQRT_EPS)); // (B, B)
        return TripletSelection.apply(d, labels, margin, mining, reduction);
    }
}
