package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.AttentionKernels;

/** Unwraps tensors for the SIMD attention kernel: q (B, T, D), k (B, S, D), v (B, S, E), mask (T, S) or null. */
final class CpuAttention implements AttentionKernels {
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, Tensor out,
                          Tensor probs) {
        AttentionKernel.forward(array(out), out.offset(), array(probs), probs.offset(), array(q), q.offset(),
                array(k), k.offset(), array(v), v.offset(), mask == null ? null : array(mask),
                mask == null ? 0 : mask.offset(), causal, scale, q.dim(0), q.dim(1), k.dim(1), q.dim(2), v.dim(2));
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor gradOut, float scale,
                                  Tensor dq, Tensor dk, Tensor dv) {
        AttentionKernel.backward(array(dq), dq.offset(), array(dk), dk.offset(), array(dv), dv.offset(),
                array(q), q.offset(), array(k), k.offset(), array(v), v.offset(), array(probs), probs.offset(),
                array(gradOut), gradOut.offset(), scale, q.dim(0), q.dim(1), k.dim(1), q.dim(2), v.dim(2));
    }
}
