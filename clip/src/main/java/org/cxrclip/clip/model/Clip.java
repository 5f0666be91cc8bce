package org.cxrclip.clip.model;

import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.Gather;
import org.cxrclip.engine.ops.L2Normalize;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Reshape;
import org.cxrclip.nn.Embedding;
import org.cxrclip.nn.Init;
import org.cxrclip.nn.LayerNorm;
import org.cxrclip.nn.Module;
import org.cxrclip.nn.ResidualAttentionBlock;
import org.cxrclip.nn.Transformer;

/**
 * OpenAI's CLIP (ViT image tower): parameter names equal OpenAI's state-dict keys, so a checkpoint loads
 * without renaming. The text tower lives at the top level as in OpenAI's model: token embedding plus
 * positional embedding, a causal transformer, ln_final, pooling at each row's end-of-text token (the arg-max
 * id), then {@code text_projection} (width, embed) applied as x·P. Random initialisation follows OpenAI's
 * {@code initialize_parameters}.
 */
public final class Clip extends Module {
    /** ln(1/0.07): CLIP's initial temperature. */
    public static final float LOGIT_SCALE_INIT = (float) Math.log(1 / 0.07);

    public final Tensor positionalEmbedding;
    public final Tensor textProjection;
    public final Tensor logitScale;
    public final VisionTransformer visual;
    public final Transformer transformer;
    public final Embedding tokenEmbedding;
    public final LayerNorm lnFinal;
    private final ClipConfig config;

    public Clip(Backend backend, ClipConfig c, long seed) {
        this.config = c;
        Rng rng = new Rng(seed);
        this.positionalEmbedding = parameter("positional_embedding", Tensor.zeros(backend, c.contextLength(), c.textWidth()));
        this.textProjection = parameter("text_projection", Tensor.zeros(backend, c.textWidth(), c.embedDim()));
        this.logitScale = parameter("logit_scale", Tensor.full(backend, LOGIT_SCALE_INIT));
        this.visual = child("visual", new VisionTransformer(backend, c.imageResolution(), c.visionPatch(),
                c.visionWidth(), c.visionLayers(), c.visionHeads(), c.embedDim(), rng.split()));
        this.transformer = child("transformer", new Transformer(backend, c.textWidth(), c.textLayers(), c.textHeads(),
                rng.split()));
        this.tokenEmbedding = child("token_embedding", new Embedding(backend, c.vocabSize(), c.textWidth(), rng.split(), 0.02));
        this.lnFinal = child("ln_final", new LayerNorm(backend, c.textWidth(), ResidualAttentionBlock.EPS));
        initializeText(rng.split());
    }

    /** OpenAI's initialize_parameters for the text side (the vision blocks keep torch's defaults). */
    private void initializeText(Rng rng) {
        int w = config.textWidth();
        Init.normal(positionalEmbedding, rng, 0.01);
        double projStd = Math.pow(w, -0.5) * Math.pow(2.0 * config.textLayers(), -0.5);
        double attnStd = Math.pow(w, -0.5);
        double fcStd = Math.pow(2.0 * w, -0.5);
        for (ResidualAttentionBlock block : transformer.resblocks.items()) {
            Init.normal(block.attn.inProjWeight, rng, attnStd);
            Init.normal(block.attn.outProj.weight, rng, projStd);
            Init.normal(block.mlp.cFc.weight, rng, fcStd);
            Init.normal(block.mlp.cProj.weight, rng, projStd);
        }
        Init.normal(textProjection, rng, Math.pow(w, -0.5));
    }

    public ClipConfig config() {
        return config;
    }

    /** images (B, 3, R, R), normalised → image features (B, embed), not yet L2-normalised. */
    public Tensor encodeImage(Tensor images) {
        return visual.forward(images);
    }

    /** tokens: B rows of exactly contextLength ids (sot … eot, zero-padded) → text features (B, embed). */
    public Tensor encodeText(int[][] tokens) {
        int b = tokens.length, ctx = config.contextLength(), w = config.textWidth();
        if (b == 0) throw new IllegalArgumentException("encodeText: no texts");
        int[] flat = new int[b * ctx];
        int[] pooled = new int[b];
        for (int i = 0; i < b; i++) {
            if (tokens[i].length != ctx)
                throw new ShapeException("encodeText: row " + i + " has " + tokens[i].length + " tokens, the model takes "
                        + ctx + " (tokenize with this context length)");
            int best = 0;
            for (int t = 0; t < ctx; t++) {
                int id = tokens[i][t];
                if (id < 0 || id >= config.vocabSize())
                    throw new ShapeException("encodeText: token id " + id + " at row " + i + ", position " + t
                            + " is outside the vocabulary [0, " + config.vocabSize() + ")");
                flat[i * ctx + t] = id;
                if (id > tokens[i][best]) best = t; // first arg-max: the end-of-text token
            }
            pooled[i] = i * ctx + best;
        }
        Tensor x = Arithmetic.add(tokenEmbedding.forward(flat, b, ctx), positionalEmbedding); // (B, ctx, w)
        x = lnFinal.forward(transformer.forward(x, null, true));
        Tensor eot = Gather.indexSelect(Reshape.reshape(x, b * ctx, w), pooled);              // (B, w)
        return MatMul.matmul(eot, textProjection);
    }

    /**
     * CLIP's logits: exp(logit_scale) · normalize(image) · normalize(text)ᵀ → (images, texts); logits per text
     * are the transpose.
     */
    public Tensor logits(Tensor imageFeatures, Tensor textFeatures) {
        Tensor sim = MatMul.matmul(L2Normalize.normalize(imageFeatures), false, L2Normalize.normalize(textFeatures), true);
        return Arithmetic.mul(sim, Activations.exp(logitScale));
    }
}
