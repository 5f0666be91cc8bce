package org.cxrclip.train.loss;

import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.CrossEntropy;
import org.cxrclip.engine.ops.L2Normalize;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Permute;

/**
 * CLIP's symmetric contrastive loss (openai/CLIP paper, CheXzero train.py, the thesis' LitCLCLIP): with B
 * image–text pairs, logits = exp(logitScale) · normalize(img) · normalize(txt)ᵀ (B, B), and
 * loss = (CE(logits, arange B) + CE(logitsᵀ, arange B)) / 2, each CE the mean over its B rows. The i-th image
 * and i-th text are the positive pair, every other entry of the batch a negative. Composed from engine ops,
 * so the gradient reaches both feature sets and the (shape []) logit scale. Clamping the scale is not part
 * of the loss: the trainer calls {@link LogitScale} after each optimiser step, as open_clip does.
 */
public final class InfoNceLoss {

    /** Loss from raw (unnormalised) features img (B, D), txt (B, D) and the log-scale parameter (one element). */
    public Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale) {
        if (imageFeatures.rank() != 2 || textFeatures.rank() != 2)
            throw new ShapeException("InfoNCE: features must be (batch, dim), got image "
                    + java.util.Arrays.toString(imageFeatures.shape()) + " and text "
                    + java.util.Arrays.toString(textFeatures.shape()));
        if (imageFeatures.dim(0) != textFeatures.dim(0))
            throw new ShapeException("InfoNCE: " + imageFeatures.dim(0) + " images but " + textFeatures.dim(0)
                    + " texts; the loss needs one text per image");
        if (logitScale.numel() != 1)
            throw new ShapeException("InfoNCE: logit scale must have one element, got shape "
                    + java.util.Arrays.toString(logitScale.shape()));
        Tensor sim = MatMul.matmul(L2Normalize.normalize(imageFeatures), false,
                L2Normalize.normalize(textFeatures), true);                        // (B, B)
        return fromLogits(Arithmetic.mul(sim, Activations.exp(logitScale)));
    }

    /** Loss from logits per image (B, B) already scaled, e.g. {@code Clip.logits(img, txt)}. */
    public Tensor fromLogits(Tensor logitsPerImage) {
        if (logitsPerImage.rank() != 2 || logitsPerImage.dim(0) != logitsPerImage.dim(1))
            throw new ShapeException("InfoNCE: logits must be square (B, B), got "
                    + java.util.Arrays.toString(logitsPerImage.shape()));
        int b = logitsPerImage.dim(0);
        int[] diagonal = new int[b];
        for (int i = 0; i < b; i++) diagonal[i] = i;
        Tensor perImage = CrossEntropy.crossEntropy(logitsPerImage, diagonal);
        Tensor perText = CrossEntropy.crossEntropy(Permute.transpose(logitsPerImage, 0, 1), diagonal);
        return Arithmetic.mul(Arithmetic.add(perImage, perText), 0.5f);
    }
}
