package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Arithmetic;

/** CLIP's pre-LN transformer block: x + attn(ln_1(x)), then + mlp(ln_2(x)). */
public final class ResidualAttentionBlock extends Module {
    /** LayerNorm eps in CLIP (torch's default). */
    public static final float EPS = 1e-5f;

    public final MultiheadAttention attn;
    public final LayerNorm ln1;
    public final Mlp mlp;
    public final LayerNorm ln2;

    public ResidualAttentionBlock(Backend backend, int width, int heads, Rng rng) {
        this.attn = child("attn", new MultiheadAttention(backend, width, heads, rng));
        this.ln1 = child("ln_1", new LayerNorm(backend, width, EPS));
        this.mlp = child("mlp", new Mlp(backend, width, 4 * width, rng));
        this.ln2 = child("ln_2", new LayerNorm(backend, width, EPS));
    }

    /** x (B, T, d). */
    public Tensor forward(Tensor x, Tensor mask, boolean causal) {
        x = Arithmetic.add(x, attn.forward(ln1.forward(x), mask, causal));
        return Arithmetic.add(x, mlp.forward(ln2.forward(x)));
    }
}
