package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Scaled-dot-product attention, as {@code torch.nn.functional.scaled_dot_product_attention}:
 * out = softmax(scale·q·kᵀ + mask)·v, one fused kernel each way over the flattened batch of heads.
 * <ul>
 *   <li>q (..., T, D), k (..., S, D), v (..., S, E) with identical leading dims (e.g. (B, H)), flattened to
 *       (B·H, ·, ·) for the kernel; out (..., T, E).</li>
 *   <li>mask (T, S) is additive (use −∞ to hide a key) and shared by every head; it gets no gradient.</li>
 *   <li>{@code causal} hides keys s > t (top-left aligned, as PyTorch's is_causal).</li>
 *   <li>A query that sees no key at all (a fully masked row) outputs 0 and passes no gradient, where PyTorch
 *       gives NaN.</li>
 * </ul>
 * Gradients flow to q, k and v.
 */
public final class Attention {
    private static final String OP = "scaled_dot_product_attention";

    private Attention() {}

    /** Attention with the default scale 1/√D. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        Shape.requireRank(OP, "q", q.shape(), 2);
        return scaledDotProduct(q, k, v, mask, causal, (float) (1.0 / Math.sqrt(q.dim(-1))));
    }

    /** Attention with an explicit scale; mask (T, S) or null. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale) {
        Backend b = OpChecks.sameBackend(OP, q, k, v, mask);
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        Shape.requireRank(OP, "q", qs, 2);
        if (ks.length != qs.length || vs.length != qs.length)
            throw new ShapeException(OP + ": q, k, v must have the same rank, got " + Shape.str(qs) + ", "
                    + Shape.str(ks) + ", " + Shape.str(vs));
        int r = qs.length;
        int[] lead = Arrays.copyOf(qs, r - 2);
        if (!Arrays.equals(lead, Arrays.copyOf(ks, r - 2)) || !Arrays.equals(lead, Arrays.copyOf(vs, r - 2)))
            throw new ShapeException(OP + ": q, k, v must have equal leading dims, got " + Shape.str(qs) + ", "
                    + Shape.str(ks) + ", " + Shape.str(vs));
        int T = qs[r - 2], D = qs[r - 1], S = ks[r - 2], E = vs[r - 1];
        if (ks[r - 1] != D)
            throw new ShapeException(OP + ": q and k must have the same last dim, got " + Shape.str(qs) + " and "
                    + Shape.str(ks));
        if (vs[r - 2] != S)
            throw new ShapeException(OP + ": k and v must have the same number of keys, got " + Shape.str(ks)
                    + " and " + Shape.str(vs));
        if (mask != null && !Arrays.equals(mask.shape(), new int[] {T, S}))
            throw new ShapeException(OP + ": mask must have shape [" + T + ", " + S + "], got "
                    + Shape.str(mask.shape()));
        if (!Float.isFinite(scale)) throw new IllegalArgumentException(OP + ": scale must be finite, got " + scale);
        int B = Shape.prod(qs, 0, r - 2);
        Tensor q3 = q.view(B, T, D), k3 = k.view(B, S, D), v3 = v.view(B, S, E);
        int[] outShape = qs.clone();
        outShape[r - 1] = E;
        Tensor out = Tensor.zeros(b, outShape);
        Tensor probs = Tensor.zeros(b, B, T, S);
        b.attention().attention(q3, k3, v3, mask, causal, scale, out.view(B, T, E), probs);
        return Node.record(out, () -> new AttentionNode(q, k, v, probs, scale), q, k, v);
    }

    private static final class AttentionNode extends Node {
        private final float scale;
        private Tensor q, k, v, probs;

        AttentionNode(Tensor q, Tensor k, Tensor v, Tensor probs, float scale) {
            super(q, k, v);
            this.q = q;
            this.k = k;
            this.v = v;
            this.probs = probs;
            this.scale = scale;
        }

        @Override
        protected void backward(Tensor gradOut) {
            Backend b = q.backend();
            int B = probs.dim(0), T = probs.dim(1), S = probs.dim(2), D = q.dim(-1), E = v.dim(-1);
            Tensor dq = Tensor.zeros(b, q.shape()), dk = Tensor.zeros(b, k.shape()), dv = Tensor.zeros(b, v.shape());
            b.attention().attentionBackward(q.view(B, T, D), k.view(B, S, D), v.view(B, S, E), probs,
                    gradOut.view(B, T, E), scale, dq.view(B, T, D), dk.view(B, S, D), dv.view(B, S, E));
            q.accumulateGrad(dq);
            k.accumulateGrad(dk);
            v.accumulateGrad(dv);
        }

        @Override
        protected void release() {
            q = k = v = probs = null;
        }

        @Override
        public String name() {
            return OP;
        }
    }
}
