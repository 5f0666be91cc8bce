package org.cxrclip.train.loss;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class InfoNceLossTest {
    private final Backend cpu = Backends.cpu();
    private final InfoNceLoss loss = new InfoNceLoss();

    @Test
    void matchesPyTorchLossAndGradients() {
        JsonObject g = GoldenJson.load("losses.json").getAsJsonObject("infonce");
        Tensor img = Tensor.of(cpu, GoldenJson.floats(g.get("img")), 4, 3).requiresGrad(true);
        Tensor txt = Tensor.of(cpu, GoldenJson.floats(g.get("txt")), 4, 3).requiresGrad(true);
        Tensor scale = Tensor.of(cpu, new float[] {g.get("logit_scale").getAsFloat()}).requiresGrad(true);
        Tensor l = loss.forward(img, txt, scale);
        assertEquals(0, l.rank(), "the loss is a scalar of shape []");
        assertEquals(g.get("loss").getAsDouble(), l.item(), 1e-4 * g.get("loss").getAsDouble());
        l.backward();
        assertClose("d/d img", GoldenJson.floats(g.get("grad_img")), img.grad().toArray(), 1e-4, 1e-5);
        assertClose("d/d txt", GoldenJson.floats(g.get("grad_txt")), txt.grad().toArray(), 1e-4, 1e-5);
        assertEquals(g.get("grad_logit_scale").getAsDouble(), scale.grad().item(), 1e-4);
    }

    @Test
    void handComputedPerfectlyAlignedPairs() {
        // img = txt = the unit vectors e1, e2 (scaled: normalisation removes the length); scale ln 1 = 0 so
        // logits = I. Each row's CE = −log(e¹/(e¹ + e⁰)) = log(1 + e⁻¹) = 0.3132617; both directions agree.
        Tensor img = Tensor.of(cpu, new float[] {3, 0, 0, 2}, 2, 2);
        Tensor txt = Tensor.of(cpu, new float[] {1, 0, 0, 5}, 2, 2);
        Tensor l = loss.forward(img, txt, Tensor.of(cpu, new float[] {0f}));
        assertEquals(Math.log1p(Math.exp(-1)), l.item(), 1e-6);
        // With scale ln 10: logits = 10·I, CE = log(1 + e⁻¹⁰) = 4.5398899e-5.
        Tensor l10 = loss.forward(img, txt, Tensor.of(cpu, new float[] {(float) Math.log(10)}));
        assertEquals(Math.log1p(Math.exp(-10)), l10.item(), 1e-7);
    }

    @Test
    void fromLogitsAveragesRowAndColumnCrossEntropy() {
        // logits [[2, 0], [1, 0]]: rows (targets 0, 1): CE₀ = log(1 + e⁻²) = 0.126928, CE₁ = log(1 + e¹) = 1.313262,
        // mean 0.720095. Columns ([2, 1] target 0, [0, 0] target 1): log(1 + e⁻¹) = 0.313262, log 2 = 0.693147,
        // mean 0.503204. Loss = (0.720095 + 0.503204)/2 = 0.611650.
        Tensor logits = Tensor.of(cpu, new float[] {2, 0, 1, 0}, 2, 2);
        double rows = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1))) / 2;
        double cols = (Math.log1p(Math.exp(-1)) + Math.log(2)) / 2;
        assertEquals((rows + cols) / 2, loss.fromLogits(logits).item(), 1e-6);
        assertEquals(0.611650, loss.fromLogits(logits).item(), 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        OpHarness.gradcheck("infonce", t -> loss.forward(t[0], t[1], t[2]),
                new float[][] {OpHarness.values(1, 15), OpHarness.values(2, 15), {0.7f}},
                new int[][] {{5, 3}, {5, 3}, {}});
    }

    @Test
    void rejectsMismatchedBatches() {
        Tensor img = Tensor.zeros(cpu, 3, 4), txt = Tensor.zeros(cpu, 2, 4), s = Tensor.zeros(cpu);
        var e = assertThrows(ShapeException.class, () -> loss.forward(img, txt, s));
        assertEquals("InfoNCE: 3 images but 2 texts; the loss needs one text per image", e.getMessage());
        assertThrows(ShapeException.class, () -> loss.fromLogits(Tensor.zeros(cpu, 2, 3)));
    }
}
