package org.cxrclip.clip.model;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Permute;
import org.cxrclip.engine.ops.Reshape;
import org.cxrclip.nn.Init;
import org.cxrclip.nn.Module;

/**
 * CLIP's {@code conv1}: a bias-free Conv2d with kernel = stride = patch, computed as one GEMM. Images are cut
 * into non-overlapping patches whose (channel, row, column) order matches the flattened kernel (width, 3, p, p),
 * so patches (B·G², 3·p²) · weightᵀ gives the tokens. All steps are differentiable, so pixel gradients flow.
 */
public final class PatchEmbedding extends Module {
    public final Tensor weight;
    private final int width;
    private final int patch;

    public PatchEmbedding(Backend backend, int width, int patch, Rng rng) {
        this.width = width;
        this.patch = patch;
        this.weight = parameter("weight", Tensor.zeros(backend, width, 3, patch, patch));
        Init.uniform(weight, rng, 1 / Math.sqrt(3.0 * patch * patch)); // torch Conv2d default (kaiming a=√5)
    }

    /** images (B, 3, H, W) with H = W = grid·patch → tokens (B, grid², width). */
    public Tensor forward(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != s[3] || s[2] % patch != 0)
            throw new ShapeException("patch embedding: expected images (B, 3, N, N) with N a multiple of " + patch
                    + ", got " + java.util.Arrays.toString(s));
        int b = s[0], g = s[2] / patch;
        Tensor p = Reshape.reshape(images, b, 3, g, patch, g, patch);
        p = Permute.permute(p, 0, 2, 4, 1, 3, 5);                          // (B, G, G, 3, p, p)
        p = Reshape.reshape(p, b * g * g, 3 * patch * patch);
        Tensor tokens = MatMul.linear(p, Reshape.reshape(weight, width, -1), null); // (B·G², width)
        return Reshape.reshape(tokens, b, g * g, width);
    }
}
