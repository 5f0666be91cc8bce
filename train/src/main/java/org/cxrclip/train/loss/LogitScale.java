package org.cxrclip.train.loss;

import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * Keeps CLIP's learnable log-temperature in range. OpenAI's model.py never clamps it; open_clip clamps it to
 * [0, ln 100] after every optimiser step, which stops the scale drifting when fine-tuning (open_clip #815,
 * #948). CheXzero and the thesis code do not clamp, hence the switch in {@link Policy}. The clamp writes the
 * parameter in place outside autograd, so it must run after {@code optimizer.step()}, never inside a forward.
 */
public final class LogitScale {
    /** ln 100: exp(scale) ≤ 100, CLIP's paper value. */
    public static final float LN_100 = (float) Math.log(100.0);

    private LogitScale() {}

    /** What the trainer does after each step: clamp to [min, max] or leave the scale alone. */
    public record Policy(boolean enabled, float min, float max) {
        /** open_clip's behaviour, our default: [0, ln 100]. */
        public static final Policy DEFAULT = new Policy(true, 0f, LN_100);
        /** CheXzero / thesis code: no clamp. */
        public static final Policy NONE = new Policy(false, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

        public Policy {
            if (enabled && !(min <= max))
                throw new IllegalArgumentException("logit scale clamp: min " + min + " above max " + max);
        }

        /** Applies the policy to the scale parameter; returns its value afterwards. */
        public float apply(Tensor logitScale) {
            return enabled ? clamp(logitScale, min, max) : logitScale.item();
        }
    }

    /** Clamps the (one-element) scale to at most {@code max}, in place; returns the new value. */
    public static float clamp(Tensor logitScale, float max) {
        return clamp(logitScale, Float.NEGATIVE_INFINITY, max);
    }

    /** Clamps the (one-element) scale to [min, max], in place and without recording a gradient. */
    public static float clamp(Tensor logitScale, float min, float max) {
        if (logitScale.numel() != 1)
            throw new ShapeException("logit scale must have one element, got shape "
                    + java.util.Arrays.toString(logitScale.shape()));
        try (var g = Autograd.noGrad()) {
            float v = logitScale.item();
            float c = Math.min(Math.max(v, min), max);
            if (c != v) logitScale.assign(new float[] {c});
            return c; // NaN stays NaN: the trainer's non-finite check reports it
        }
    }
}
