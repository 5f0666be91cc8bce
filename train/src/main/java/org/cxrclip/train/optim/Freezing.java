package org.cxrclip.train.optim;

import java.util.Map;
import java.util.function.Predicate;
import org.cxrclip.engine.Tensor;

/**
 * Which parameters train. A frozen parameter gets {@code requiresGrad(false)} (so backward neither computes
 * nor stores its gradient) and loses any gradient it had; the optimisers skip parameters without a gradient.
 * The modes follow the thesis' train modes ({@code apply_train_mode}): full, freeze, train_norm (".ln_"
 * names; here also the top-level {@code ln_final} and the vision tower's {@code ln_pre}/{@code ln_post},
 * which sit at "visual.ln_pre"/"visual.ln_post"), plus a frozen text tower (everything outside "visual."
 * stays fixed, the logit scale included) and freezing by name prefix.
 */
public final class Freezing {
    /** Preset choices of trainable parameters. */
    public enum Mode {
        /** Everything trains. */
        FULL,
        /** Nothing trains. */
        FROZEN,
        /** Only LayerNorm gains and biases train. */
        LAYER_NORM_ONLY,
        /** Only the vision tower ("visual." names) trains. */
        TEXT_FROZEN
    }

    private Freezing() {}

    /** Applies the mode to every parameter; returns the number of trainable values. */
    public static long apply(Map<String, Tensor> namedParameters, Mode mode) {
        Predicate<String> trainable = switch (mode) {
            case FULL -> n -> true;
            case FROZEN -> n -> false;
            case LAYER_NORM_ONLY -> Freezing::isLayerNorm;
            case TEXT_FROZEN -> n -> n.startsWith("visual.");
        };
        return apply(namedParameters, trainable);
    }

    /** Additionally freezes every parameter whose name starts with one of the prefixes; returns the trainable values. */
    public static long freezePrefixes(Map<String, Tensor> namedParameters, String... prefixes) {
        for (String p : prefixes)
            if (p == null || p.isEmpty()) throw new IllegalArgumentException("freeze: empty name prefix");
        long matched = namedParameters.keySet().stream().filter(n -> startsWithAny(n, prefixes)).count();
        if (matched == 0)
            throw new IllegalArgumentException("freeze: no parameter name starts with any of "
                    + java.util.Arrays.toString(prefixes));
        long trainable = 0;
        for (var e : namedParameters.entrySet()) {
            if (startsWithAny(e.getKey(), prefixes)) freeze(e.getValue());
            else if (e.getValue().requiresGrad()) trainable += e.getValue().numel();
        }
        return trainable;
    }

    /** Sets trainability from a predicate on the name; returns the number of trainable values. */
    public static long apply(Map<String, Tensor> namedParameters, Predicate<String> trainable) {
        long count = 0;
        for (var e : namedParameters.entrySet()) {
            Tensor t = e.getValue();
            if (trainable.test(e.getKey())) {
                t.requiresGrad(true);
                count += t.numel();
            } else {
                freeze(t);
            }
        }
        return count;
    }

    /** LayerNorm parameters under OpenAI's names: "ln_1", "ln_2", "ln_pre", "ln_post", "ln_final". */
    public static boolean isLayerNorm(String name) {
        return name.startsWith("ln_") || name.contains(".ln_");
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String p : prefixes) if (name.startsWith(p)) return true;
        return false;
    }

    private static void freeze(Tensor t) {
        t.requiresGrad(false);
        t.zeroGrad();
    }
}
