package org.cxrclip.clip.model;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.Concat;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Reshape;
import org.cxrclip.engine.ops.Slice;
import org.cxrclip.nn.Init;
import org.cxrclip.nn.LayerNorm;
import org.cxrclip.nn.Module;
import org.cxrclip.nn.ResidualAttentionBlock;
import org.cxrclip.nn.Transformer;

/**
 * CLIP's image tower ({@code visual.*}): patch embedding, class token, positional embedding, ln_pre, the
 * transformer, ln_post on the class token only, and the projection {@code proj} (width, embed) applied as x·P.
 */
public final class VisionTransformer extends Module {
    public final Tensor classEmbedding;
    public final Tensor positionalEmbedding;
    public final Tensor proj;
    public final PatchEmbedding conv1;
    public final LayerNorm lnPre;
    public final Transformer transformer;
    public final LayerNorm lnPost;
    private final int width;
    private final int resolution;

    public VisionTransformer(Backend backend, int resolution, int patch, int width, int layers, int heads,
                             int embedDim, Rng rng) {
        this.width = width;
        this.resolution = resolution;
        int grid = resolution / patch;
        double scale = 1 / Math.sqrt(width);
        this.classEmbedding = parameter("class_embedding", Tensor.zeros(backend, width));
        this.positionalEmbedding = parameter("positional_embedding", Tensor.zeros(backend, grid * grid + 1, width));
        this.proj = parameter("proj", Tensor.zeros(backend, width, embedDim));
        Init.normal(classEmbedding, rng, scale);
        Init.normal(positionalEmbedding, rng, scale);
        Init.normal(proj, rng, scale);
        this.conv1 = child("conv1", new PatchEmbedding(backend, width, patch, rng));
        this.lnPre = child("ln_pre", new LayerNorm(backend, width, ResidualAttentionBlock.EPS));
        this.transformer = child("transformer", new Transformer(backend, width, layers, heads, rng));
        this.lnPost = child("ln_post", new LayerNorm(backend, width, ResidualAttentionBlock.EPS));
    }

    public int resolution() {
        return resolution;
    }

    /** images (B, 3, R, R), normalised → image features (B, embed), before L2 normalisation. */
    public Tensor forward(Tensor images) {
        Tensor x = conv1.forward(images);                                               // (B, G², w)
        int b = x.dim(0);
        Tensor cls = Arithmetic.expand(Reshape.reshape(classEmbedding, 1, 1, width), b, 1, width);
        x = Concat.concat(1, cls, x);                                                   // (B, G²+1, w)
        x = lnPre.forward(Arithmetic.add(x, positionalEmbedding));
        x = transformer.forward(x, null, false);
        Tensor first = Reshape.reshape(Slice.slice(x, 1, 0, 1), b, width);             // (B, w)
        return MatMul.matmul(lnPost.forward(first), proj);                              // (B, embed)
    }
}
