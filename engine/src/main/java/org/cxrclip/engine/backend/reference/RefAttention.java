package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.AttentionKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class RefAttention implements AttentionKernels {
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, Tensor out, Tensor probs) {
        throw new UnsupportedOperationException("RefAttention.attention: not implemented yet");
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor gradOut, float scale, Tensor dq, Tensor dk, Tensor dv) {
        throw new UnsupportedOperationException("RefAttention.attentionBackward: not implemented yet");
    }
}
