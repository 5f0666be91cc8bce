package org.cxrclip.train.loss;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class BceWithLogitsLossTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void matchesPyTorchWithPosWeightIncludingZeroAndLargeLogits() {
        JsonObject g = GoldenJson.load("losses.json").getAsJsonObject("bce");
        float[] y = GoldenJson.floats(g.get("targets"));
        var bce = new BceWithLogitsLoss(GoldenJson.floats(g.get("pos_weight")));
        Tensor x = Tensor.of(cpu, GoldenJson.floats(g.get("logits")), 3, 4).requiresGrad(true);
        Tensor l = bce.forward(x, y);
        assertEquals(g.get("loss").getAsDouble(), l.item(), 1e-6);
        l.backward();
        assertClose("d/dx", GoldenJson.floats(g.get("grad")), x.grad().toArray(), 1e-5, 1e-7);

        // NaN targets are missing labels: torch's per-entry loss masked and averaged over the valid ones.
        float[] masked = y.clone();
        for (var rc : g.getAsJsonArray("masked")) masked[GoldenJson.ints(rc)[0] * 4 + GoldenJson.ints(rc)[1]] = Float.NaN;
        Tensor x2 = Tensor.of(cpu, GoldenJson.floats(g.get("logits")), 3, 4).requiresGrad(true);
        Tensor l2 = bce.forward(x2, masked);
        assertEquals(g.get("masked_loss").getAsDouble(), l2.item(), 1e-6);
        l2.backward();
        assertClose("masked d/dx", GoldenJson.floats(g.get("masked_grad")), x2.grad().toArray(), 1e-5, 1e-7);
    }

    @Test
    void handComputedAtZeroLogit() {
        // x = 0: σ(0) = 1/2. y = 1, w = 3: ℓ = 3·log 2 = 2.0794415, dℓ/dx = −w·σ(−0) = −1.5.
        // y = 0: ℓ = log 2 = 0.6931472, dℓ/dx = σ(0) = 0.5. Mean over the two: loss 1.3862944, grads /2.
        var bce = new BceWithLogitsLoss(new float[] {3f, 3f});
        Tensor x = Tensor.zeros(cpu, 1, 2).requiresGrad(true);
        Tensor l = bce.forward(x, new float[] {1, 0});
        assertEquals((3 * Math.log(2) + Math.log(2)) / 2, l.item(), 1e-6);
        l.backward();
        assertArrayEquals(new float[] {-0.75f, 0.25f}, x.grad().toArray(), 1e-7f);
    }

    @Test
    void stableForHugeLogits() {
        // x = 100, y = 0: ℓ = 100 (naive log(1 − σ(100)) = log 0 = −∞); x = −100, y = 0: ℓ = log(1 + e⁻¹⁰⁰) ≈ 3.7e-44.
        Tensor x = Tensor.of(cpu, new float[] {100, -100}, 2, 1).requiresGrad(true);
        Tensor l = new BceWithLogitsLoss().forward(x, new float[] {0, 0});
        assertEquals(50.0, l.item(), 1e-5);
        l.backward();
        assertArrayEquals(new float[] {0.5f, 0f}, x.grad().toArray(), 1e-7f);
    }

    @Test
    void allMissingGivesZeroLossAndZeroGradient() {
        Tensor x = Tensor.of(cpu, new float[] {1, -2}, 1, 2).requiresGrad(true);
        Tensor l = new BceWithLogitsLoss().forward(x, new float[] {Float.NaN, Float.NaN});
        assertEquals(0f, l.item());
        l.backward();
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] y = {1, 0, 0.25f, 1, 0, 0, 1, 1, Float.NaN, 0, 1, 0};
        var bce = new BceWithLogitsLoss(new float[] {0.5f, 2f, 4f});
        OpHarness.gradcheck("bce", t -> bce.forward(t[0], y), new float[][] {OpHarness.values(5, 12, -3, 3)},
                new int[][] {{4, 3}});
    }

    @Test
    void posWeightFromCountsIsNegativesOverPositives() {
        // class 0: 1 positive, 3 negatives → 3; class 1: 2 positives, 1 negative, 1 missing → 0.5; class 2: none → 1.
        float[] t = {1, 1, 0, 0, 1, 0, 0, 0, 0, 0, Float.NaN, 0};
        assertArrayEquals(new float[] {3f, 0.5f, 1f}, BceWithLogitsLoss.posWeightFromTargets(t, 3), 1e-7f);
    }

    @Test
    void badInputIsNamed() {
        var bce = new BceWithLogitsLoss();
        Tensor x = Tensor.zeros(cpu, 2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> bce.forward(x, new float[] {0, 1, 2, 0}));
        assertTrue(e.getMessage().contains("target 2.0 at row 1, class 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BceWithLogitsLoss(new float[] {-1f}));
        assertThrows(org.cxrclip.engine.ShapeException.class,
                () -> new BceWithLogitsLoss(new float[] {1f}).forward(x, new float[4]));
    }
}
