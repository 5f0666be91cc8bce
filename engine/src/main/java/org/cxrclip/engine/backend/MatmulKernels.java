package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** General matrix multiply, optionally batched. */
public interface MatmulKernels {
    /**
     * For each batch index: c = alpha · op(a) · op(b) + beta · c, where op transposes the last two axes when its
     * flag is set. c is (batch..., M, N); a is (M, K) or (K, M) with leading dims equal to c's or absent
     * (broadcast); likewise b with (K, N) or (N, K). beta = 0 ignores c's previous contents (even NaN).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);
}
