package org.cxrclip.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void handComputedFirstStep() {
        // p = 1, g = 0.5, lr 0.1, λ 0.1, β (0.9, 0.999), ε 0. Decay: p = 1·(1 − 0.01) = 0.99.
        // m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25, √v̂ = 0.5.
        // p = 0.99 − 0.1·0.5/0.5 = 0.89.
        Tensor p = Tensor.of(cpu, new float[] {1f}, 1).requiresGrad(true);
        var opt = new AdamW(Map.of("p", p), new AdamW.Config(0.1, 0.9, 0.999, 0, 0.1));
        p.accumulateGrad(Tensor.of(cpu, new float[] {0.5f}, 1));
        opt.step();
        assertEquals(0.89f, p.toArray()[0], 1e-6f);
    }

    @Test
    void parametersWithoutGradientAreSkippedAndKeepNoState() {
        Tensor a = Tensor.of(cpu, new float[] {1, 2}, 2).requiresGrad(true), b = Tensor.of(cpu, new float[] {3}, 1).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        var opt = new AdamW(params, AdamW.Config.thesis(1e-2));
        a.accumulateGrad(Tensor.of(cpu, new float[] {1, 1}, 2));
        opt.step();
        assertArrayEquals(new float[] {3}, b.toArray(), "b had no gradient: untouched, not even decayed");
        OptimizerState s = opt.state();
        assertEquals(Map.of("a", 1L), s.paramSteps());
        assertEquals(java.util.Set.of("a.exp_avg", "a.exp_avg_sq"), s.buffers().keySet());
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Map<String, Tensor> p1 = params(), p2 = params();
        var o1 = new AdamW(p1, AdamW.Config.thesis(3e-3), WeightDecayRule.EXCLUDE_GAINS_BIASES);
        for (int s = 0; s < 3; s++) step(o1, p1, s);
        // Snapshot: parameter values and optimiser state into a fresh optimiser on fresh tensors.
        p1.forEach((n, t) -> p2.get(n).assign(t.toArray()));
        var o2 = new AdamW(p2, AdamW.Config.thesis(3e-3), WeightDecayRule.EXCLUDE_GAINS_BIASES);
        o2.loadState(o1.state());
        assertEquals(3, o2.stepCount());
        for (int s = 3; s < 7; s++) {
            step(o1, p1, s);
            step(o2, p2, s);
        }
        for (String n : p1.keySet()) assertArrayEquals(p1.get(n).toArray(), p2.get(n).toArray(), n);
    }

    @Test
    void largeParameterUpdatedInParallelAgreesWithScalarDoubleFormula() {
        int n = 200_003; // several parallel chunks and an odd tail
        float[] p0 = OpHarness.values(3, n), g = OpHarness.values(4, n);
        Tensor p = Tensor.of(cpu, p0, n).requiresGrad(true);
        var opt = new AdamW(Map.of("p", p), new AdamW.Config(1e-2, 0.9, 0.98, 1e-6, 0.2));
        p.accumulateGrad(Tensor.of(cpu, g, n));
        opt.step();
        float[] out = p.toArray();
        for (int i = 0; i < n; i++) {
            // First step: m̂ = g, v̂ = g², so p ← p(1 − lr·λ) − lr·g/(|g| + ε).
            double expected = p0[i] * (1 - 1e-2 * 0.2) - 1e-2 * g[i] / (Math.abs(g[i]) + 1e-6);
            assertEquals(expected, out[i], 1e-6, "element " + i);
        }
    }

    @Test
    void loadStateRejectsForeignState() {
        Map<String, Tensor> p = params();
        var opt = new AdamW(p, AdamW.Config.thesis(1e-3));
        var sgdState = new OptimizerState("sgd", 1, Map.of(), Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(sgdState));
        assertTrue(e.getMessage().contains("saved by 'sgd'"), e.getMessage());
        var wrongSize = new OptimizerState("adamw", 1, Map.of("w", 1L),
                Map.of("w.exp_avg", new float[5], "w.exp_avg_sq", new float[6]));
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(wrongSize));
        assertTrue(e.getMessage().contains("'w.exp_avg' has 5 values"), e.getMessage());
        var unknown = new OptimizerState("adamw", 1, Map.of("visual.nope", 1L), Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(unknown));
        assertTrue(e.getMessage().contains("'visual.nope'"), e.getMessage());
    }

    static Map<String, Tensor> params() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.of(Backends.cpu(), OpHarness.values(11, 6), 3, 2).requiresGrad(true));
        p.put("ln_1.bias", Tensor.of(Backends.cpu(), OpHarness.values(12, 2), 2).requiresGrad(true));
        return p;
    }

    /** Fixed gradients per step, the same for every optimiser instance. */
    static void step(Optimizer opt, Map<String, Tensor> params, int s) {
        opt.zeroGrad();
        Rng rng = new Rng(1000 + s);
        for (Tensor t : params.values()) {
            float[] g = new float[t.numel()];
            for (int i = 0; i < g.length; i++) g[i] = 2 * rng.nextFloat() - 1;
            t.accumulateGrad(Tensor.of(Backends.cpu(), g, t.shape()));
        }
        opt.step();
    }
}
