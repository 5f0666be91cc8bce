package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MatmulKernels;
import org.jocl.cl_mem;

/**
 * Batched GEMM through {@code matmul.cl}'s tiled kernel; the batch is the third grid dimension. Attention
 * calls {@link #gemm(boolean, boolean, int, int, int, float, cl_mem, int, int, int, cl_mem, int, int, int, float,
 * cl_mem, int, int, int, int)} directly on raw buffers.
 */
final class ClMatmul implements MatmulKernels {
    private static final long[] LOCAL = {16, 16, 1};
    /** The 128×128-tile variant pays off once C has enough tiles to fill a GPU with it; below, 64×64 tiles. */
    private static final long BIG_TILES_FROM = 512L * 512;
    /** float4 loads where the operands allow them; {@code -Dcxrclip.opencl.gemm.vec=false} turns them off (to compare). */
    private static final boolean VECTOR_LOADS = !"false".equals(System.getProperty("cxrclip.opencl.gemm.vec"));

    private final ClContext cl;

    ClMatmul(ClContext cl) {
        this.cl = cl;
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int rank = c.rank();
        int m = c.dim(-2), n = c.dim(-1);
        int k = transA ? a.dim(-2) : a.dim(-1);
        if (m * n == 0) return;
        int batch = c.numel() / (m * n);
        // A batched operand steps by one matrix per batch; a 2-D one is broadcast (step 0).
        int aStep = a.rank() == rank && rank > 2 ? m * k : 0;
        int bStep = b.rank() == rank && rank > 2 ? k * n : 0;
        gemm(transA, transB, m, n, k, alpha, ClStorage.mem(a), a.offset(), transA ? m : k, aStep,
                ClStorage.mem(b), b.offset(), transB ? k : n, bStep, beta, ClStorage.mem(c), c.offset(), n, m * n,
                batch);
    }

    /** The kernel contract of {@code matmul.cl} on raw buffers: offsets, leading dimensions, batch steps. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              cl_mem a, int aOff, int lda, int aStep, cl_mem b, int bOff, int ldb, int bStep,
              float beta, cl_mem c, int cOff, int ldc, int cStep, int batch) {
        if (m == 0 || n == 0 || batch == 0) return;
        boolean big = (long) m * n * batch >= BIG_TILES_FROM && m >= 128 && n >= 128;
        int tile = big ? 128 : 64;
        long[] global = {(long) ceilDiv(n, tile) * 16, (long) ceilDiv(m, tile) * 16, batch};
        String variant = "matmul" + (big ? " -DWPT=8" : "")
                + (VECTOR_LOADS && vectorLoads(aOff, lda, aStep, bOff, ldb, bStep) ? " -DVEC=1" : "");
        cl.launch(variant, "gemm", global, LOCAL, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha,
                a, aOff, lda, aStep, b, bOff, ldb, bStep, beta, c, cOff, ldc, cStep);
    }

    /**
     * True when every row of both operands starts 16-byte aligned (buffers themselves are at least that aligned),
     * so {@code matmul.cl} may load float4s: offsets, leading dimensions and batch steps all multiples of 4.
     */
    static boolean vectorLoads(int aOff, int lda, int aStep, int bOff, int ldb, int bStep) {
        return (aOff | lda | aStep | bOff | ldb | bStep) % 4 == 0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
