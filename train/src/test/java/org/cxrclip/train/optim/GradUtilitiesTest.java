package org.cxrclip.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.Reductions;
import org.junit.jupiter.api.Test;

/** GradClip, GradAccumulation and Freezing. */
class GradUtilitiesTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void clipHandComputedAndSharedGradientsScaledOnce() {
        // L = Σ (a + b): the engine hands the same gradient tensor (ones) to a and b. Norm = √(2·4) = 2√2;
        // max 1 → each entry 1/(2√2 + 1e-6) = 0.35355327.
        Tensor a = Tensor.zeros(cpu, 4).requiresGrad(true), b = Tensor.zeros(cpu, 4).requiresGrad(true);
        Reductions.sum(Arithmetic.add(a, b)).backward();
        double total = GradClip.clipNorm(List.of(a, b), 1.0);
        assertEquals(2 * Math.sqrt(2), total, 1e-6);
        float c = (float) (1 / (2 * Math.sqrt(2) + 1e-6));
        assertArrayEquals(new float[] {c, c, c, c}, a.grad().toArray(), 1e-7f);
        assertArrayEquals(new float[] {c, c, c, c}, b.grad().toArray(), 1e-7f, "b's shared gradient scaled once, not twice");
        // Below the limit nothing changes.
        assertEquals(1.0, GradClip.clipNorm(List.of(a, b), 5.0), 1e-5);
        assertArrayEquals(new float[] {c, c, c, c}, a.grad().toArray(), 1e-7f);
    }

    @Test
    void accumulatingScaledMicroBatchesGivesTheFullBatchMeanGradient() {
        // L(w) = mean_i (w·x_i)²; gradient 2/N Σ x_i² w. Full batch x = [1, 2, 3, 4], w = 0.5: 2/4·30·0.5 = 7.5.
        float[] x = {1, 2, 3, 4};
        Tensor w = Tensor.of(cpu, new float[] {0.5f}, 1).requiresGrad(true);
        var acc = new GradAccumulation(2);
        boolean[] stepNow = new boolean[2];
        for (int m = 0; m < 2; m++) {
            Tensor xs = Tensor.of(cpu, new float[] {x[2 * m], x[2 * m + 1]}, 2);
            Tensor pred = Arithmetic.mul(xs, w);
            acc.scale(Reductions.mean(Arithmetic.mul(pred, pred))).backward();
            stepNow[m] = acc.microStepDone();
        }
        assertArrayEquals(new boolean[] {false, true}, stepNow);
        assertEquals(7.5f, w.grad().item(), 1e-6f);
        assertEquals(0, acc.pending());
        assertThrows(IllegalArgumentException.class, () -> new GradAccumulation(0));
    }

    private static Map<String, Tensor> clipNames() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (String n : new String[] {"positional_embedding", "text_projection", "logit_scale", "token_embedding.weight",
                "transformer.resblocks.0.ln_1.weight", "transformer.resblocks.0.attn.in_proj_weight", "ln_final.weight",
                "ln_final.bias", "visual.class_embedding", "visual.ln_pre.weight", "visual.ln_post.bias",
                "visual.transformer.resblocks.0.ln_2.bias", "visual.transformer.resblocks.0.mlp.c_fc.weight", "visual.proj"})
            p.put(n, Tensor.zeros(Backends.cpu(), 2).requiresGrad(true));
        return p;
    }

    private static List<String> trainable(Map<String, Tensor> p) {
        return p.entrySet().stream().filter(e -> e.getValue().requiresGrad()).map(Map.Entry::getKey).toList();
    }

    @Test
    void freezingModesSelectTheRightNames() {
        Map<String, Tensor> p = clipNames();
        p.get("visual.proj").accumulateGrad(Tensor.zeros(Backends.cpu(), 2));
        assertEquals(12, Freezing.apply(p, Freezing.Mode.LAYER_NORM_ONLY)); // 6 tensors of 2 values
        assertEquals(List.of("transformer.resblocks.0.ln_1.weight", "ln_final.weight", "ln_final.bias", "visual.ln_pre.weight",
                "visual.ln_post.bias", "visual.transformer.resblocks.0.ln_2.bias"), trainable(p));
        assertNull(p.get("visual.proj").grad(), "freezing drops a stale gradient");

        Freezing.apply(p, Freezing.Mode.TEXT_FROZEN);
        assertEquals(List.of("visual.class_embedding", "visual.ln_pre.weight", "visual.ln_post.bias",
                "visual.transformer.resblocks.0.ln_2.bias", "visual.transformer.resblocks.0.mlp.c_fc.weight", "visual.proj"),
                trainable(p));
        Freezing.apply(p, Freezing.Mode.FROZEN);
        assertTrue(trainable(p).isEmpty());
        assertEquals(28, Freezing.apply(p, Freezing.Mode.FULL));
        // 14 tensors, minus the two under visual.transformer. and token_embedding.weight: 11 trainable, 22 values.
        assertEquals(22, Freezing.freezePrefixes(p, "visual.transformer.", "token_embedding"));
        assertFalse(trainable(p).contains("visual.transformer.resblocks.0.ln_2.bias"));
        assertFalse(trainable(p).contains("token_embedding.weight"));
        assertEquals(11, trainable(p).size());
        var e = assertThrows(IllegalArgumentException.class, () -> Freezing.freezePrefixes(p, "vision."));
        assertTrue(e.getMessage().contains("vision."), e.getMessage());
    }

    @Test
    void weightDecayRuleExcludesGainsBiasesAndScale() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("visual.proj", Tensor.zeros(cpu, 3, 2));
        p.put("positional_embedding", Tensor.zeros(cpu, 4, 2));
        p.put("logit_scale", Tensor.zeros(cpu));
        p.put("visual.ln_post.weight", Tensor.zeros(cpu, 2));
        p.put("visual.conv1.weight", Tensor.zeros(cpu, 2, 3, 1, 1));
        p.put("head.bias", Tensor.zeros(cpu, 2));
        var decays = p.entrySet().stream()
                .filter(e -> WeightDecayRule.EXCLUDE_GAINS_BIASES.decays(e.getKey(), e.getValue())).map(Map.Entry::getKey).toList();
        assertEquals(List.of("visual.proj", "positional_embedding", "visual.conv1.weight"), decays);
        assertFalse(WeightDecayRule.excludeMatching("^visual\\.").decays("visual.proj", p.get("visual.proj")));
        assertTrue(WeightDecayRule.excludeMatching("^visual\\.").decays("text_projection", p.get("visual.proj")));
    }
}
