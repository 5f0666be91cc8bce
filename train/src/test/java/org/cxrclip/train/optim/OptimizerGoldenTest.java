package org.cxrclip.train.optim;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.loss.GoldenJson;
import org.junit.jupiter.api.Test;

/**
 * AdamW and SGD against torch.optim on a weight w (3, 2) and a bias b (2): several steps with fixed gradients,
 * parameters compared after each step (golden: tests/goldens/train/make_train_goldens.py).
 */
class OptimizerGoldenTest {
    private static final JsonObject GOLDEN = GoldenJson.load("optimizers.json");
    private final Backend cpu = Backends.cpu();

    private void run(String key, Function<Map<String, Tensor>, Optimizer> make, LrSchedule schedule) {
        JsonObject g = GOLDEN.getAsJsonObject(key);
        Tensor w = Tensor.of(cpu, GoldenJson.floats(g.get("w0")), 3, 2).requiresGrad(true);
        Tensor b = Tensor.of(cpu, GoldenJson.floats(g.get("b0")), 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", w);
        params.put("b", b);
        Optimizer opt = make.apply(params);
        int s = 0;
        for (JsonElement e : g.getAsJsonArray("steps")) {
            JsonObject st = e.getAsJsonObject();
            if (schedule != null) schedule.applyTo(opt, s);
            assertEquals(st.get("lr").getAsDouble(), opt.lr(), 1e-12, key + " lr at step " + s);
            assertEquals(st.get("momentum").getAsDouble(), opt.momentum(), 1e-12, key + " momentum at step " + s);
            opt.zeroGrad();
            w.accumulateGrad(Tensor.of(cpu, GoldenJson.floats(st.get("grad_w")), 3, 2));
            b.accumulateGrad(Tensor.of(cpu, GoldenJson.floats(st.get("grad_b")), 2));
            opt.step();
            assertClose(key + " w after step " + s, GoldenJson.floats(st.get("w")), w.toArray(), 1e-5, 1e-6);
            assertClose(key + " b after step " + s, GoldenJson.floats(st.get("b")), b.toArray(), 1e-5, 1e-6);
            s++;
        }
        assertEquals(s, opt.stepCount());
    }

    @Test
    void adamWWithNoDecayGroupMatchesTorch() {
        // torch: weight decay 0.2 on w, a second param group with weight_decay 0 for b (rank 1).
        run("adamw", p -> new AdamW(p, AdamW.Config.thesis(1e-2), WeightDecayRule.EXCLUDE_GAINS_BIASES), null);
    }

    @Test
    void adamWUnderOneCycleWithBeta1CyclingMatchesTorch() {
        run("adamw_onecycle", p -> new AdamW(p, AdamW.Config.thesis(1e-2)), OneCycle.torchDefaults(1e-2, 8, 0.3));
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesTorch() {
        run("sgd", p -> new Sgd(p, new Sgd.Config(0.1, 0.9, 0, 1e-2, false)), null);
        run("sgd_nesterov", p -> new Sgd(p, new Sgd.Config(0.1, 0.9, 0, 1e-2, true)), null);
    }

    @Test
    void clipGradNormMatchesTorch() {
        JsonObject g = GOLDEN.getAsJsonObject("clip");
        Tensor a = Tensor.zeros(cpu, 3, 2).requiresGrad(true), c = Tensor.zeros(cpu, 4).requiresGrad(true);
        a.accumulateGrad(Tensor.of(cpu, GoldenJson.floats(g.get("grad_a")), 3, 2));
        c.accumulateGrad(Tensor.of(cpu, GoldenJson.floats(g.get("grad_c")), 4));
        double total = GradClip.clipNorm(java.util.List.of(a, c), g.get("max_norm").getAsDouble());
        assertEquals(g.get("total_norm").getAsDouble(), total, 1e-6);
        assertClose("clipped a", GoldenJson.floats(g.get("clipped_a")), a.grad().toArray(), 1e-6, 1e-7);
        assertClose("clipped c", GoldenJson.floats(g.get("clipped_c")), c.grad().toArray(), 1e-6, 1e-7);
    }
}
