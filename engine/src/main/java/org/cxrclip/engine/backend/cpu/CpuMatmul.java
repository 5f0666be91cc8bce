package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.MatmulKernels;

/**
 * Batched GEMM on the packed kernel ({@link Gemm}). Many small matrices (attention heads) are split over the
 * threads batch by batch; a few large ones each use all threads.
 */
final class CpuMatmul implements MatmulKernels {
    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int rank = c.rank();
        int m = c.dim(-2), n = c.dim(-1);
        int k = transA ? a.dim(-2) : a.dim(-1);
        if (m * n == 0) return;
        int batch = c.numel() / (m * n);
        // A batched operand steps one matrix per batch; a 2-D one is broadcast (step 0).
        int aStep = a.rank() == rank && rank > 2 ? m * k : 0;
        int bStep = b.rank() == rank && rank > 2 ? k * n : 0;
        float[] av = HostStorage.array(a), bv = HostStorage.array(b), cv = HostStorage.array(c);
        int aOff = a.offset(), bOff = b.offset(), cOff = c.offset();
        int lda = transA ? m : k, ldb = transB ? k : n;
        int threads = Parallel.threads();
        long work = (long) m * n * k;
        if (batch == 1) {
            Gemm.gemm(transA, transB, m, n, k, alpha, av, aOff, lda, bv, bOff, ldb, beta, cv, cOff, n);
        } else if (batch >= 2 * threads || work < 4 * Gemm.MIN_WORK_PER_THREAD) {
            int chunks = Math.min(threads, batch);
            Parallel.forChunks(chunks, t -> {
                int b0 = (int) ((long) batch * t / chunks), b1 = (int) ((long) batch * (t + 1) / chunks);
                for (int i = b0; i < b1; i++)
                    Gemm.gemmOneThread(transA, transB, m, n, k, alpha, av, aOff + i * aStep, lda,
                            bv, bOff + i * bStep, ldb, beta, cv, cOff + i * m * n, n);
            });
        } else {
            for (int i = 0; i < batch; i++)
                Gemm.gemm(transA, transB, m, n, k, alpha, av, aOff + i * aStep, lda,
                        bv, bOff + i * bStep, ldb, beta, cv, cOff + i * m * n, n);
        }
    }
}
