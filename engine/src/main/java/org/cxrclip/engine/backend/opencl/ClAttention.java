package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.AttentionKernels;
import org.jocl.cl_mem;

/**
 * Scaled-dot-product attention composed from the tiled batched GEMM and two row kernels of {@code norms.cl}:
 * scores = scale·q·kᵀ go straight into probs, {@code masked_softmax} normalises them in place, out = probs·v.
 * Backward: dV = Pᵀ·dO, dP = dO·Vᵀ (a scratch buffer), dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place,
 * dQ = scale·dS·K, dK = scale·dSᵀ·Q. Shapes: q (B, T, D), k (B, S, D), v (B, S, E), probs (B, T, S).
 */
final class ClAttention implements AttentionKernels {
    private final ClContext cl;
    private final OpenClBackend backend;
    private final ClMatmul mm;

    ClAttention(ClContext cl, OpenClBackend backend, ClMatmul mm) {
        this.cl = cl;
        this.backend = backend;
        this.mm = mm;
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, Tensor out,
                          Tensor probs) {
        int b = q.dim(0), t = q.dim(1), s = k.dim(1), d = q.dim(2), e = v.dim(2);
        cl_mem p = ClStorage.mem(probs);
        int po = probs.offset();
        mm.gemm(false, true, t, s, d, scale, ClStorage.mem(q), q.offset(), d, t * d, ClStorage.mem(k), k.offset(), d,
                s * d, 0f, p, po, s, t * s, b);
        cl.launch(ClNorms.F, "masked_softmax", ClNorms.rows(b * t), ClNorms.GROUP, p, po,
                mask == null ? p : ClStorage.mem(mask), mask == null ? 0 : mask.offset(), mask == null ? 0 : 1,
                causal ? 1 : 0, t, s);
        mm.gemm(false, false, t, e, s, 1f, p, po, s, t * s, ClStorage.mem(v), v.offset(), e, s * e, 0f,
                ClStorage.mem(out), out.offset(), e, t * e, b);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor gradOut, float scale,
                                  Tensor dq, Tensor dk, Tensor dv) {
        int b = q.dim(0), t = q.dim(1), s = k.dim(1), d = q.dim(2), e = v.dim(2);
        cl_mem p = ClStorage.mem(probs), go = ClStorage.mem(gradOut);
        int po = probs.offset(), goo = gradOut.offset();
        // dV (S, E) = Pᵀ (S, T) · dO (T, E)
        mm.gemm(true, false, s, e, t, 1f, p, po, s, t * s, go, goo, e, t * e, 0f, ClStorage.mem(dv), dv.offset(),
                e, s * e, b);
        // dP (T, S) = dO (T, E) · Vᵀ; the scratch buffer stays referenced until the last kernel is enqueued.
        ClStorage scratch = (ClStorage) backend.allocate(b * t * s);
        cl_mem dp = scratch.mem();
        mm.gemm(false, true, t, s, e, 1f, go, goo, e, t * e, ClStorage.mem(v), v.offset(), e, s * e, 0f, dp, 0, s,
                t * s, b);
        cl.launch(ClNorms.F, "softmax_grad_in_place", ClNorms.rows(b * t), ClNorms.GROUP, p, po, dp, 0, s);
        // dQ (T, D) = scale · dS (T, S) · K (S, D)
        mm.gemm(false, false, t, d, s, scale, dp, 0, s, t * s, ClStorage.mem(k), k.offset(), d, s * d, 0f,
                ClStorage.mem(dq), dq.offset(), d, t * d, b);
        // dK (S, D) = scale · dSᵀ (S, T) · Q (T, D)
        mm.gemm(true, false, s, d, t, scale, dp, 0, s, t * s, ClStorage.mem(q), q.offset(), d, t * d, 0f,
                ClStorage.mem(dk), dk.offset(), d, s * d, b);
        java.lang.ref.Reference.reachabilityFence(scratch);
    }
}
