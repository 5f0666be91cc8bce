package org.cxrclip.engine.ops;

import org.cxrclip.engine.Tensor;

/**
 * Pairwise squared Euclidean distances D[i, j] = ‖x_i − y_j‖² for x (N, D) and y (M, D), as the triplet loss
 * needs them. Composed from primitives, so the gradient (2(x_i − y_j) per pair, summed) comes from theirs.
 *
 * <p>Two forms. Up to {@link #DIRECT_LIMIT} elements of the (N, M, D) difference, the differences are formed
 * directly and squared: a pair of equal rows gives exactly 0 and a gradient of exactly 0, whatever weight the
 * caller puts on it (the triplet loss puts ~1e5 on a duplicate pair through √'s derivative at 0). Beyond it, the
 * expansion ‖x_i‖² + ‖y_j‖² − 2·x_i·y_j turns the O(N·M·D) work and memory into one GEMM, at the price of
 * rounding: a true 0 can come out slightly off (clamped at 0), and in the backward terms that should cancel
 * are summed separately, so a large weight on a (near-)duplicate pair leaves an error of that weight times the
 * float epsilon.
 */
public final class PairwiseDistance {
    /** Largest N·M·D formed directly: 2^24 floats (64 MB), e.g. a batch of 128 with 512-wide embeddings. */
    static final long DIRECT_LIMIT = 1L << 24;

    private PairwiseDistance() {}

    public static Tensor squaredEuclidean(Tensor x, Tensor y) {
        OpChecks.sameBackend("pairwiseDistance", x, y);
        OpChecks.rank("pairwiseDistance", "x", x, 2);
        OpChecks.rank("pairwiseDistance", "y", y, 2);
        if (x.dim(1) != y.dim(1))
            throw new org.cxrclip.engine.ShapeException("pairwiseDistance: feature sizes differ: x "
                    + java.util.Arrays.toString(x.shape()) + " y " + java.util.Arrays.toString(y.shape()));
        long elements = (long) x.dim(0) * y.dim(0) * x.dim(1);
        return elements <= DIRECT_LIMIT ? direct(x, y) : expanded(x, y);
    }

    /** Σ_d (x_i − y_j)² from the (N, M, D) differences. */
    static Tensor direct(Tensor x, Tensor y) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        Tensor diff = Arithmetic.sub(Reshape.reshape(x, n, 1, d), Reshape.reshape(y, 1, m, d)); // (N, M, D)
        return Reductions.sum(Arithmetic.mul(diff, diff), 2, false);
    }

    /** ‖x_i‖² + ‖y_j‖² − 2·x_i·y_j through one GEMM, clamped at 0. */
    static Tensor expanded(Tensor x, Tensor y) {
        Tensor xx = Reductions.sum(Arithmetic.mul(x, x), 1, true);                 // (N, 1)
        Tensor yy = Reshape.reshape(Reductions.sum(Arithmetic.mul(y, y), 1, false), 1, -1); // (1, M)
        Tensor xy = MatMul.matmul(x, false, y, true);                              // (N, M)
        Tensor dd = Arithmetic.sub(Arithmetic.add(xx, yy), Arithmetic.mul(xy, 2f));
        return Activations.clamp(dd, 0f, Float.POSITIVE_INFINITY);
    }
}
