package org.cxrclip.clustering;

/**
 * The two per-sample computations of EM over a tile of consecutive rows of the data x (n, d) row-major:
 * squared Mahalanobis distances δ² (b, K) to the components of one {@link Components}, and the weighted sums of
 * the M-step given weights w (b, K). Two implementations with the same contract: {@link ExactKernels} (plain
 * double loops, the reference) and {@link GemmKernels} (float GEMMs, ~100× faster at d = 512); tests compare
 * them. Instances are immutable per EM iteration and shared by all threads.
 */
abstract class BlockKernels {
    /** Below this many multiply-adds per sample the exact loops are as fast as packing for GEMM. */
    static final long GEMM_THRESHOLD = 4096;
    /** Tests set this to force one implementation: null = choose by size. */
    static volatile Boolean forceExact = null;

    final float[] x;
    final int d, k;

    BlockKernels(float[] x, int d, int k) {
        this.x = x;
        this.d = d;
        this.k = k;
    }

    /**
     * Kernels measuring distances to {@code comps} and accumulating per-dimension (matrixStats false) or
     * d×d (true) second moments.
     */
    static BlockKernels of(float[] x, Components comps, boolean matrixStats) {
        long perSample = (long) comps.k * comps.d * (comps.type.matrix() || matrixStats ? comps.d : 1);
        boolean exact = forceExact != null ? forceExact : perSample < GEMM_THRESHOLD;
        return exact ? new ExactKernels(x, comps, matrixStats) : new GemmKernels(x, comps, matrixStats);
    }

    /** δ²(i, c) for rows [r0, r0 + b) into dist (b, K), each ≥ 0. */
    abstract void distances(int r0, int b, double[] dist);

    /** Adds Σ w·x and the second moments Σ w·x² or Σ w·x·xᵀ of rows [r0, r0 + b) into s. */
    abstract void accumulate(int r0, int b, double[] w, SufficientStats s);
}
