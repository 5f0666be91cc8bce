package org.cxrclip.train.optim;

import java.util.regex.Pattern;
import org.cxrclip.engine.Tensor;

/**
 * Which parameters get weight decay. The thesis decays everything (plain AdamW over all parameters); the usual
 * CLIP recipe (open_clip) exempts gains, biases and the logit scale, i.e. every tensor of rank ≤ 1 and the
 * LayerNorm/logit-scale names.
 */
@FunctionalInterface
public interface WeightDecayRule {
    boolean decays(String name, Tensor parameter);

    /** Everything decays (torch's single param group; the thesis code). */
    WeightDecayRule ALL = (name, p) -> true;

    /** No parameter decays. */
    WeightDecayRule NONE = (name, p) -> false;

    /**
     * open_clip's exclusion: no decay for tensors of rank ≤ 1 (biases, LayerNorm gains, class embedding,
     * logit_scale) or names with a LayerNorm ({@code ln_*}), {@code bias} or {@code logit_scale} part; matrices,
     * including the positional embedding, decay.
     */
    WeightDecayRule EXCLUDE_GAINS_BIASES = (name, p) -> !(p.rank() <= 1 || isNormOrScale(name));

    /** Decays except for names matching {@code regex} (searched anywhere in the name). */
    static WeightDecayRule excludeMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return (name, p) -> !pattern.matcher(name).find();
    }

    private static boolean isNormOrScale(String name) {
        return name.startsWith("ln_") || name.contains(".ln_") || name.contains("logit_scale") || name.endsWith(".bias")
                || name.equals("bias");
    }
}
