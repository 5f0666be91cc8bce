package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Attention;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Permute;
import org.cxrclip.engine.ops.Reshape;
import org.cxrclip.engine.ops.Slice;

/**
 * torch.nn.MultiheadAttention as CLIP uses it (batch-first here): one fused projection {@code in_proj_weight}
 * (3d, d) whose row blocks are q, k, v, then scaled-dot-product attention per head (scale head_dim^−½), then
 * {@code out_proj}. Initialised as torch does: xavier-uniform in_proj, zero biases.
 */
public final class MultiheadAttention extends Module {
    public final Tensor inProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;
    private final int width;
    private final int heads;

    public MultiheadAttention(Backend backend, int width, int heads, Rng rng) {
        if (heads <= 0 || width % heads != 0)
            throw new IllegalArgumentException("attention: width " + width + " is not divisible by " + heads + " heads");
        this.width = width;
        this.heads = heads;
        this.inProjWeight = parameter("in_proj_weight", Tensor.zeros(backend, 3 * width, width));
        this.inProjBias = parameter("in_proj_bias", Tensor.zeros(backend, 3 * width));
        this.outProj = child("out_proj", new Linear(backend, width, width, true, rng));
        Init.xavierUniform(inProjWeight, rng);
        Init.constant(outProj.bias, 0f);
    }

    public int heads() {
        return heads;
    }

    /** x (B, T, d) → (B, T, d); mask (T, T) additive or null; causal hides later tokens. */
    public Tensor forward(Tensor x, Tensor mask, boolean causal) {
        if (x.rank() != 3 || x.dim(2) != width)
            throw new ShapeException("attention: expected input (B, T, " + width + "), got "
                    + java.util.Arrays.toString(x.shape()));
        int b = x.dim(0), t = x.dim(1), dh = width / heads;
        Tensor qkv = MatMul.linear(x, inProjWeight, inProjBias);                       // (B, T, 3d)
        qkv = Permute.permute(Reshape.reshape(qkv, b, t, 3, heads, dh), 2, 0, 3, 1, 4); // (3, B, H, T, dh)
        Tensor q = Reshape.reshape(Slice.slice(qkv, 0, 0, 1), b, heads, t, dh);
        Tensor k = Reshape.reshape(Slice.slice(qkv, 0, 1, 2), b, heads, t, dh);
        Tensor v = Reshape.reshape(Slice.slice(qkv, 0, 2, 3), b, heads, t, dh);
        Tensor o = Attention.scaledDotProduct(q, k, v, mask, causal);                   // (B, H, T, dh)
        o = Reshape.reshape(Permute.permute(o, 0, 2, 1, 3), b, t, width);              // (B, T, d)
        return outProj.forward(o);
    }
}
