package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MatmulKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class RefMatmul implements MatmulKernels {
    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        throw new UnsupportedOperationException("RefMatmul.gemm: not implemented yet");
    }
}
