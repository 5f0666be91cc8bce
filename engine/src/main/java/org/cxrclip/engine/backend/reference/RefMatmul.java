package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.MatmulKernels;

/**
 * The naive twin of the CPU GEMM: a triple loop with a double accumulator, one batch after another. Obviously
 * right and slow; every fast GEMM is tested against {@link #gemmNaive}.
 */
public final class RefMatmul implements MatmulKernels {
    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int rank = c.rank();
        int m = c.dim(-2), n = c.dim(-1);
        int k = transA ? a.dim(-2) : a.dim(-1);
        int batch = c.numel() / Math.max(1, m * n);
        if (m * n == 0) return;
        // A batched operand steps by one matrix per batch; a 2-D one is broadcast (step 0).
        int aStep = a.rank() == rank && rank > 2 ? m * k : 0;
        int bStep = b.rank() == rank && rank > 2 ? k * n : 0;
        float[] av = HostStorage.array(a), bv = HostStorage.array(b), cv = HostStorage.array(c);
        int lda = transA ? m : k, ldb = transB ? k : n;
        for (int i = 0; i < batch; i++)
            gemmNaive(transA, transB, m, n, k, alpha, av, a.offset() + i * aStep, lda,
                    bv, b.offset() + i * bStep, ldb, beta, cv, c.offset() + i * m * n, n);
    }

    /**
     * c = alpha · op(a) · op(b) + beta · c for one matrix, row-major with leading dimensions (row strides).
     * op(a) is (m, k): a is (m, k) with row stride lda, or (k, m) when transA. op(b) is (k, n): b is (k, n)
     * with row stride ldb, or (n, k) when transB. c (m, n) has row stride ldc. beta = 0 never reads c.
     */
    public static void gemmNaive(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) x * y;
                }
                int ci = cOff + i * ldc + j;
                double old = beta == 0f ? 0 : (double) beta * c[ci];
                c[ci] = (float) (alpha * s + old);
            }
        }
    }
}
