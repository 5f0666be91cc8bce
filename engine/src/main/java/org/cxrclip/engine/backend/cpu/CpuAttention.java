package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.AttentionKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class CpuAttention implements AttentionKernels {
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, Tensor out, Tensor probs) {
        throw new UnsupportedOperationException("CpuAttention.attention: not implemented yet");
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor gradOut, float scale, Tensor dq, Tensor dk, Tensor dv) {
        throw new UnsupportedOperationException("CpuAttention.attentionBackward: not implemented yet");
    }
}
