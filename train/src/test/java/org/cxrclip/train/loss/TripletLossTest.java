package org.cxrclip.train.loss;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.cxrclip.train.loss.TripletLoss.Mining;
import org.cxrclip.train.loss.TripletLoss.Reduction;
import org.junit.jupiter.api.Test;

/**
 * The triplet loss against PyTorch's loop formulation and hand-computed batches on every backend (the selection is
 * a backend kernel family: reference, CPU, and OpenCL when CXRCLIP_TEST_OPENCL=1), its gradient against finite
 * differences, and its degenerate batches.
 */
class TripletLossTest {
    private final Backend cpu = Backends.cpu();

    private static List<Backend> backends() {
        List<Backend> all = new ArrayList<>(OpHarness.fastBackends());
        all.add(0, Backends.reference());
        return all;
    }

    @Test
    void matchesLoopFormulationInPyTorch() {
        for (Backend be : backends())
            for (JsonElement c : GoldenJson.load("losses.json").getAsJsonArray("triplet")) {
                JsonObject g = c.getAsJsonObject();
                int[] labels = GoldenJson.ints(g.get("labels"));
                boolean normalize = g.get("normalize").getAsBoolean();
                float margin = g.get("margin").getAsFloat();
                for (Mining m : Mining.values()) {
                    String key = m == Mining.BATCH_ALL ? "batch_all" : "batch_hard";
                    Tensor x = Tensor.of(be, GoldenJson.floats(g.get("emb")), 7, 3).requiresGrad(true);
                    Tensor l = new TripletLoss(margin, m, normalize).forward(x, labels);
                    String what = key + (normalize ? " normalised" : "") + " on " + be.name();
                    assertEquals(g.get(key).getAsDouble(), l.item(), 2e-5, what);
                    l.backward();
                    assertClose(what + " gradient", GoldenJson.floats(g.get("grad_" + key)), x.grad().toArray(), 1e-4, 2e-5);
                }
            }
    }

    // Points on a line x = [0, 1, 3, 4], labels [0, 0, 1, 1], margin 1.5; distances d01 = 1, d02 = 3, d03 = 4,
    // d12 = 2, d13 = 3, d23 = 1.
    // Batch-all hinges d(a,p) − d(a,n) + 1.5: (a0,p1): n2 −0.5, n3 −1.5; (a1,p0): n2 +0.5, n3 −0.5;
    // (a2,p3): n0 −0.5, n1 +0.5; (a3,p2): n0 −1.5, n1 −0.5. Two active triplets of 0.5 → mean 0.5, sum 1.0.
    // Active terms (d10 − d12) and (d23 − d21): d/dx1 = +1 + 1 (first) + 1 (−d21) = 3, d/dx0 = −1, d/dx2 = −3,
    // d/dx3 = +1, divided by the 2 active triplets for the mean.
    // Batch-hard: anchor 0 (p1 d=1, nearest n2 d=3) → 0; anchor 1 (p0 1, n2 2) → 0.5; anchor 2 (p3 1, n1 2) → 0.5;
    // anchor 3 (p2 1, n1 3) → 0. Mean over the 4 valid anchors 0.25, same active terms, gradient divided by 4.
    private static final float[] LINE = {0, 1, 3, 4};
    private static final int[] LINE_LABELS = {0, 0, 1, 1};

    @Test
    void handComputedBatchAll() {
        check(Mining.BATCH_ALL, Reduction.MEAN, 0.5f, new float[] {-0.5f, 1.5f, -1.5f, 0.5f});
        check(Mining.BATCH_ALL, Reduction.SUM, 1.0f, new float[] {-1f, 3f, -3f, 1f});
    }

    @Test
    void handComputedBatchHard() {
        check(Mining.BATCH_HARD, Reduction.MEAN, 0.25f, new float[] {-0.25f, 0.75f, -0.75f, 0.25f});
        check(Mining.BATCH_HARD, Reduction.SUM, 1.0f, new float[] {-1f, 3f, -3f, 1f});
    }

    private void check(Mining m, Reduction r, float loss, float[] grad) {
        for (Backend be : backends()) {
            Tensor x = Tensor.of(be, LINE, 4, 1).requiresGrad(true);
            Tensor l = new TripletLoss(1.5f, m, r, false).forward(x, LINE_LABELS);
            assertEquals(loss, l.item(), 1e-5f, m + " " + r + " on " + be.name());
            l.backward();
            assertArrayEquals(grad, x.grad().toArray(), 1e-4f, m + " " + r + " gradient on " + be.name());
        }
    }

    /** An upstream gradient other than 1 (a weighted term, λ·L) scales dL/dx on the device as on the host. */
    @Test
    void upstreamGradientScalesTheGradient() {
        for (Backend be : backends()) {
            Tensor x = Tensor.of(be, LINE, 4, 1).requiresGrad(true);
            Tensor l = new TripletLoss(1.5f, Mining.BATCH_ALL, Reduction.MEAN, false).forward(x, LINE_LABELS);
            org.cxrclip.engine.ops.Arithmetic.mul(l, -3f).backward();
            assertArrayEquals(new float[] {1.5f, -4.5f, 4.5f, -1.5f}, x.grad().toArray(), 1e-4f, be.name());
        }
    }

    @Test
    void noValidTripletGivesZeroAndZeroGradient() {
        int[][] cases = {{3, 3, 3, 3}, {0, 1, 2, 3}};
        for (int[] labels : cases)
            for (Mining m : Mining.values()) {
                Tensor x = Tensor.of(cpu, OpHarness.values(9, 8), 4, 2).requiresGrad(true);
                Tensor l = new TripletLoss(0.2f, m, true).forward(x, labels);
                assertEquals(0f, l.item());
                l.backward();
                assertArrayEquals(new float[8], x.grad().toArray(), m + " " + java.util.Arrays.toString(labels));
            }
        // Valid triplets that are all easy: batch-all mean has no positive triplet → 0, no NaN.
        Tensor x = Tensor.of(cpu, LINE, 4, 1).requiresGrad(true);
        Tensor l = new TripletLoss(0.5f, Mining.BATCH_ALL, false).forward(x, LINE_LABELS);
        assertEquals(0f, l.item());
        l.backward();
        assertArrayEquals(new float[4], x.grad().toArray());
    }

    /**
     * Rows 0 and 1 are identical positives: d = 0 where sqrt's derivative is infinite without the eps. Expected
     * values from a double-precision loop over triplets (d = √(‖xi − xj‖² + 1e-12), ∂d/∂xi = (xi − xj)/d, so the
     * duplicate pair contributes 0), the same loop that reproduces the hand-computed line batch above:
     * d02 = d12 = √2, d03 = d13 = √0.8, d23 = √0.4, margin 1. Batch-all: 6 active triplets (a0/a1 with n3, a2 and
     * a3 each with n0 and n1). Batch-hard: anchors 0 and 1 take n3; anchors 2 and 3 meet a tie between n0 and n1
     * and take the first index, n0, so rows 0 and 1 get different gradients.
     *
     * <p>The pair's ∂L/∂(d²) = w/(2·1e-6) ≈ 1e5 meets PairwiseDistance's exact zero difference, so rows 0 and 1
     * are as exact as rows 2 and 3. (Through the GEMM expansion, where terms of ~1e5 cancel, float rounding left
     * multiples of 2⁻⁵: −0.375 for −0.4004 batch-hard, −0.2656 for −0.2669 batch-all.)
     */
    @Test
    void duplicateEmbeddingsGiveFiniteGradientsOfTheRightValue() {
        float[] v = {1, 0, 1, 0, 0, 1, 0.6f, 0.8f};
        Object[][] cases = {
            {Mining.BATCH_ALL, 0.353948039898178, new float[] {-0.26692233f, 0.41599353f, -0.26692233f, 0.41599353f,
                -0.39675327f, -0.02488375f, 0.93059793f, -0.80710330f}},
            {Mining.BATCH_HARD, 0.29185448217351484, new float[] {-0.40038349f, 0.62399029f, -0.11180340f, 0.22360680f,
                -0.29756495f, -0.01866281f, 0.80975185f, -0.82893428f}}};
        for (Backend be : backends())
            for (Object[] c : cases) {
                Mining m = (Mining) c[0];
                float[] want = (float[]) c[2];
                Tensor x = Tensor.of(be, v, 4, 2).requiresGrad(true);
                Tensor l = new TripletLoss(1f, m, false).forward(x, new int[] {0, 0, 1, 1});
                assertEquals((double) c[1], l.item(), 1e-5, m + " loss on " + be.name());
                l.backward();
                float[] g = x.grad().toArray();
                for (float gv : g) assertEquals(true, Float.isFinite(gv), m + " gradient " + gv);
                String what = m + " gradient on " + be.name();
                assertClose(what + ", rows 2 and 3", java.util.Arrays.copyOfRange(want, 4, 8),
                        java.util.Arrays.copyOfRange(g, 4, 8), 1e-4, 1e-5);
                assertClose(what + ", duplicate rows 0 and 1", java.util.Arrays.copyOfRange(want, 0, 4),
                        java.util.Arrays.copyOfRange(g, 0, 4), 1e-4, 1e-5);
            }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] labels = {0, 1, 0, 2, 1, 0};
        for (Mining m : Mining.values())
            for (boolean normalize : new boolean[] {false, true}) {
                var loss = new TripletLoss(0.8f, m, normalize);
                OpHarness.gradcheck("triplet " + m + (normalize ? " normalised" : ""), t -> loss.forward(t[0], labels),
                        new float[][] {OpHarness.values(21, 24)}, new int[][] {{6, 4}}, null, 1e-3, 2e-2, 3e-3);
            }
    }

    @Test
    void badInputIsNamed() {
        var loss = new TripletLoss(0.2f, Mining.BATCH_HARD, false);
        var e = assertThrows(org.cxrclip.engine.ShapeException.class,
                () -> loss.forward(Tensor.zeros(cpu, 3, 2), new int[] {0, 1}));
        assertEquals("triplet loss: 2 labels for 3 embeddings", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TripletLoss(-1f, Mining.BATCH_ALL, false));
    }
}
