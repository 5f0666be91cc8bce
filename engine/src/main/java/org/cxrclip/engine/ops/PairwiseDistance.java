package org.cxrclip.engine.ops;

import org.cxrclip.engine.Tensor;

/**
 * Pairwise squared Euclidean distances D[i, j] = ‖x_i − y_j‖² = ‖x_i‖² + ‖y_j‖² − 2·x_i·y_j for x (N, D) and
 * y (M, D), as the triplet loss and k-means need them. The expansion turns the O(N·M·D) work into one GEMM;
 * its rounding can make a true 0 slightly negative, so the result is clamped at 0. Composed from primitives,
 * so the gradient (2(x_i − y_j) per pair, summed) comes from theirs.
 */
public final class PairwiseDistance {
    private PairwiseDistance() {}

    public static Tensor squaredEuclidean(Tensor x, Tensor y) {
        OpChecks.sameBackend("pairwiseDistance", x, y);
        OpChecks.rank("pairwiseDistance", "x", x, 2);
        OpChecks.rank("pairwiseDistance", "y", y, 2);
        if (x.dim(1) != y.dim(1))
            throw new org.cxrclip.engine.ShapeException("pairwiseDistance: feature sizes differ: x "
                    + java.util.Arrays.toString(x.shape()) + " y " + java.util.Arrays.toString(y.shape()));
        Tensor xx = Reductions.sum(Arithmetic.mul(x, x), 1, true);                 // (N, 1)
        Tensor yy = Reshape.reshape(Reductions.sum(Arithmetic.mul(y, y), 1, false), 1, -1); // (1, M)
        Tensor xy = MatMul.matmul(x, false, y, true);                              // (N, M)
        Tensor d = Arithmetic.sub(Arithmetic.add(xx, yy), Arithmetic.mul(xy, 2f));
        return Activations.clamp(d, 0f, Float.POSITIVE_INFINITY);
    }
}
