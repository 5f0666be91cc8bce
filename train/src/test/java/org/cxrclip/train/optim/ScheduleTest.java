package org.cxrclip.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.cxrclip.train.loss.GoldenJson;
import org.junit.jupiter.api.Test;

/** OneCycle and ReduceLROnPlateau against torch's schedulers; warm-up cosine by hand. */
class ScheduleTest {
    private static final JsonObject GOLDEN = GoldenJson.load("schedules.json");

    @Test
    void oneCycleMatchesTorchLrAndBeta1() {
        for (JsonElement e : GOLDEN.getAsJsonArray("onecycle")) {
            JsonObject g = e.getAsJsonObject();
            int total = g.get("total_steps").getAsInt();
            var s = OneCycle.torchDefaults(g.get("max_lr").getAsDouble(), total, g.get("pct_start").getAsDouble());
            double[] lr = GoldenJson.doubles(g.get("lr")), beta1 = GoldenJson.doubles(g.get("beta1"));
            for (int i = 0; i < total; i++) {
                assertEquals(lr[i], s.lr(i), 1e-15 + 1e-12 * lr[i], "lr at step " + i + " of " + total);
                assertEquals(beta1[i], s.momentum(i), 1e-12, "beta1 at step " + i + " of " + total);
            }
        }
    }

    @Test
    void oneCycleHandPoints() {
        // max 1e-3, 100 steps, pct 0.05: step 0 = 1e-3/25 = 4e-5; warm-up ends at float step 4 (= 0.05·100 − 1)
        // at max lr and β1 0.85; the last step 99 = end of the cos anneal = 4e-5/1e4 = 4e-9, β1 back at 0.95.
        var s = OneCycle.thesis(1e-3, 100);
        assertEquals(4e-5, s.lr(0), 1e-18);
        assertEquals(1e-3, s.lr(4), 1e-18);
        assertEquals(0.85, s.momentum(4), 1e-15);
        assertEquals(4e-9, s.lr(99), 1e-20);
        assertEquals(0.95, s.momentum(99), 1e-15);
        var e = assertThrows(IllegalArgumentException.class, () -> OneCycle.thesis(1e-3, 20));
        assertTrue(e.getMessage().contains("warm-up phase empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.lr(101));
    }

    @Test
    void warmupCosineHandPoints() {
        // base 1, warm-up 4 of 12 steps, floor 0.1: warm-up (s+1)/4 → 0.25, 0.5, 0.75, 1 at steps 0..3;
        // step 4 starts the cosine at base; step 8 is half-way: 0.1 + 0.9·(1 + cos π/2)/2 = 0.55; step 12 = floor.
        var s = new WarmupCosine(1.0, 4, 12, 0.1);
        assertEquals(0.25, s.lr(0), 1e-15);
        assertEquals(1.0, s.lr(3), 1e-15);
        assertEquals(1.0, s.lr(4), 1e-15);
        assertEquals(0.55, s.lr(8), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.75)) / 2, s.lr(10), 1e-15);
        assertEquals(0.1, s.lr(12), 1e-15);
        assertEquals(0.1, s.lr(50), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1.0, 5, 4, 0));
    }

    @Test
    void reduceOnPlateauMatchesTorch() {
        JsonObject g = GOLDEN.getAsJsonObject("plateau");
        double[] metrics = GoldenJson.doubles(g.get("metrics")), lr = GoldenJson.doubles(g.get("lr"));
        var s = new ReduceLrOnPlateau(g.get("lr0").getAsDouble(), 0.1, 2, 1e-4, 0, g.get("min_lr").getAsDouble());
        ReduceLrOnPlateau resumed = null;
        for (int i = 0; i < metrics.length; i++) {
            assertEquals(lr[i], s.step(metrics[i]), 1e-15, "lr after epoch " + i + " (metric " + metrics[i] + ")");
            if (resumed != null) assertEquals(lr[i], resumed.step(metrics[i]), 1e-15, "resumed, epoch " + i);
            if (i == 5) {
                resumed = new ReduceLrOnPlateau(1, 0.1, 2, 1e-4, 0, g.get("min_lr").getAsDouble());
                resumed.restore(s.state());
            }
        }
    }

    @Test
    void reduceOnPlateauHandSequence() {
        // factor 0.1, patience 2: improvements reset the count; the third non-improving epoch in a row reduces.
        var s = ReduceLrOnPlateau.cxrCml(1e-6);
        double[] metric = {1.0, 0.5, 0.6, 0.5, 0.5, 0.4};
        double[] expected = {1e-6, 1e-6, 1e-6, 1e-6, 1e-7, 1e-7};
        for (int i = 0; i < metric.length; i++) assertEquals(expected[i], s.step(metric[i]), 1e-20, "epoch " + i);
    }
}
