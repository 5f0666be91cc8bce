package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.LayerNormTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class AttentionTest {
    private static final Backend[] BOTH = {Backends.reference(), Backends.cpu()};
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    /** Leading dims for rank 2, 3 or 4 inputs: (), (B), (B, H). */
    private static int[] withLead(int[] lead, int a, int b) {
        int[] s = java.util.Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = a;
        s[lead.length + 1] = b;
        return s;
    }

    /** An additive (T, S) mask: mostly finite values, some −∞ (so some rows may be fully hidden). */
    private static float[] randomMask(long seed, int T, int S) {
        float[] m = OpHarness.values(seed, T * S, -2f, 2f);
        Rng rng = new Rng(seed + 1);
        for (int i = 0; i < m.length; i++) if (rng.nextInt(4) == 0) m[i] = NEG_INF;
        return m;
    }

    @Test
    void cpuMatchesReferenceOnRandomShapes() {
        int[] dims = {1, 3, 16, 17, 33, 64};
        qt().withFixedSeed(17).withExamples(40)
                .forAll(integers().between(1, 9), integers().between(1, 9), integers().between(0, 3), longs().all())
                .checkAssert((T, S, variant, seed) -> {
                    Rng rng = new Rng(seed);
                    int rank = 2 + rng.nextInt(3);
                    int[] lead = rank == 2 ? new int[0] : rank == 3 ? new int[] {1 + rng.nextInt(3)}
                            : new int[] {1 + rng.nextInt(2), 1 + rng.nextInt(3)};
                    int D = dims[rng.nextInt(dims.length)], E = dims[rng.nextInt(4)];
                    boolean causal = (variant & 1) != 0, masked = (variant & 2) != 0;
                    int[] qs = withLead(lead, T, D), ks = withLead(lead, S, D), vs = withLead(lead, S, E);
                    float[] q = OpHarness.values(seed + 1, Shape.numel(qs), -2f, 2f);
                    float[] k = OpHarness.values(seed + 2, Shape.numel(ks), -2f, 2f);
                    float[] v = OpHarness.values(seed + 3, Shape.numel(vs));
                    float scale = (float) (1 / Math.sqrt(D));
                    for (Backend fast : OpHarness.fastBackends()) {
                        if (masked)
                            OpHarness.assertBackendsAgree("attention", fast,
                                    t -> Attention.scaledDotProduct(t[0], t[1], t[2], t[3], causal, scale),
                                    new float[][] {q, k, v, randomMask(seed + 4, T, S)},
                                    new int[][] {qs, ks, vs, {T, S}}, new boolean[] {true, true, true, false},
                                    1e-4, 1e-5);
                        else
                            OpHarness.assertBackendsAgree("attention", fast,
                                    t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, causal),
                                    new float[][] {q, k, v}, new int[][] {qs, ks, vs}, 1e-4, 1e-5);
                    }
                });
    }

    @Test
    void cpuMatchesReferenceOnVitHeadsAcrossThreads() {
        // (B, H, T, D) = (2, 12, 50, 64): ViT-B/32 heads, many parallel tasks.
        int[] s = {2, 12, 50, 64};
        int n = Shape.numel(s);
        for (Backend fast : OpHarness.fastBackends())
            OpHarness.assertBackendsAgree("attention", fast,
                    t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, false),
                    new float[][] {OpHarness.values(1, n), OpHarness.values(2, n), OpHarness.values(3, n)},
                    new int[][] {s, s, s}, 1e-4, 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] qs = {1, 2, 3, 2}, ks = {1, 2, 4, 2}, vs = {1, 2, 4, 3};
        float[][] in = {OpHarness.values(1, 12), OpHarness.values(2, 16), OpHarness.values(3, 24)};
        OpHarness.gradcheck("attention", t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, false),
                in, new int[][] {qs, ks, vs});
        OpHarness.gradcheck("causal attention", t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, true, 0.8f),
                in, new int[][] {qs, ks, vs});
        float[] mask = {0, -1, NEG_INF, 0.5f, NEG_INF, NEG_INF, NEG_INF, NEG_INF, 1, 0, 0, NEG_INF};
        OpHarness.gradcheck("masked attention", t -> Attention.scaledDotProduct(t[0], t[1], t[2], t[3], false),
                new float[][] {in[0], in[1], in[2], mask}, new int[][] {qs, ks, vs, {3, 4}},
                new boolean[] {true, true, true, false}, 1e-2, 2e-2, 2e-3);
    }

    @Test
    void causalThreeTokensByHand() {
        // T = S = 3, D = E = 1, scale 1: q = [1, 1, 1], k = [0, ln 2, ln 3], v = [6, 3, 12].
        // Scores q_t·k_s = [0, ln 2, ln 3] in every row, so exp(scores) = [1, 2, 3]; causal keeps s <= t:
        //   P = [[1, 0, 0], [1/3, 2/3, 0], [1/6, 2/6, 3/6]]
        //   out = P·v = [6, 6/3 + 6/3, 6/6 + 3/3 + 12/2] = [6, 4, 8].
        // Backward with dO = [1, 1, 1]:
        //   dV = Pᵀ·dO = column sums of P = [1 + 1/3 + 1/6, 2/3 + 1/3, 1/2] = [1.5, 1, 0.5]
        //   dP[t, s] = dO_t·v_s = [6, 3, 12]; rowsum(dP ⊙ P) = [6, 4, 8]
        //   dS = P ⊙ (dP − rowsum) = [[0, 0, 0], [2/3, -2/3, 0], [-1/3, -5/3, 2]]
        //   dQ = dS·K = [0, -2/3·ln 2, -5/3·ln 2 + 2·ln 3] = [0, -0.46209812, 1.04197929]
        //   dK = dSᵀ·Q = column sums of dS = [1/3, -7/3, 2].
        float ln2 = (float) Math.log(2), ln3 = (float) Math.log(3);
        for (Backend b : BOTH) {
            Tensor q = Tensor.of(b, new float[] {1, 1, 1}, 3, 1).requiresGrad(true);
            Tensor k = Tensor.of(b, new float[] {0, ln2, ln3}, 3, 1).requiresGrad(true);
            Tensor v = Tensor.of(b, new float[] {6, 3, 12}, 3, 1).requiresGrad(true);
            Tensor out = Attention.scaledDotProduct(q, k, v, null, true, 1f);
            OpHarness.assertClose("causal attention on " + b.name(), new float[] {6, 4, 8}, out.toArray(), 1e-5, 1e-5);
            out.backward(Tensor.of(b, new float[] {1, 1, 1}, 3, 1));
            OpHarness.assertClose("dV on " + b.name(), new float[] {1.5f, 1f, 0.5f}, v.grad().toArray(), 1e-5, 1e-6);
            OpHarness.assertClose("dQ on " + b.name(), new float[] {0f, -0.46209812f, 1.04197929f},
                    q.grad().toArray(), 1e-5, 1e-5);
            OpHarness.assertClose("dK on " + b.name(), new float[] {1 / 3f, -7 / 3f, 2f}, k.grad().toArray(), 1e-5, 1e-5);
        }
    }

    @Test
    void defaultScaleIsOneOverSqrtD() {
        int[] s = {2, 3, 4};
        for (Backend b : BOTH) {
            Tensor q = OpHarness.rand(b, 1, s), k = OpHarness.rand(b, 2, s), v = OpHarness.rand(b, 3, s);
            OpHarness.assertClose("default scale on " + b.name(),
                    Attention.scaledDotProduct(q, k, v, null, false, 0.5f).toArray(),
                    Attention.scaledDotProduct(q, k, v, null, false).toArray(), 0, 0);
        }
    }

    @Test
    void fullyMaskedRowGivesZeroNotNaN() {
        // Query 1 sees no key: its output and its gradient are 0; query 0 is unaffected.
        float[] mask = {0, 0, 0, NEG_INF, NEG_INF, NEG_INF};
        for (Backend b : BOTH) {
            Tensor q = OpHarness.rand(b, 1, 1, 2, 4).requiresGrad(true);
            Tensor k = OpHarness.rand(b, 2, 1, 3, 4).requiresGrad(true);
            Tensor v = OpHarness.rand(b, 3, 1, 3, 5).requiresGrad(true);
            Tensor m = Tensor.of(b, mask, 2, 3);
            Tensor out = Attention.scaledDotProduct(q, k, v, m, false);
            float[] o = out.toArray();
            for (int e = 0; e < 5; e++) assertEquals(0f, o[5 + e], "masked row output on " + b.name());
            for (int e = 0; e < 5; e++) assertTrue(o[e] != 0f && Float.isFinite(o[e]), "visible row on " + b.name());
            out.backward(OpHarness.rand(b, 4, 1, 2, 5));
            for (Tensor t : new Tensor[] {q, k, v})
                for (float g : t.grad().toArray()) assertTrue(Float.isFinite(g), "gradient not finite on " + b.name());
            float[] dq = q.grad().toArray();
            for (int d = 0; d < 4; d++) assertEquals(0f, dq[4 + d], "masked query gradient on " + b.name());
            assertNull(m.grad(), "the mask gets no gradient");
        }
    }

    @Test
    void largeScoresStayFinite() {
        // Scores of order ±1000: q entries ±40, k entries ±10, D = 8 → |q·k| up to 3200, scale 1.
        int[] s = {2, 5, 8};
        float[] q = OpHarness.values(1, 80, -40f, 40f), k = OpHarness.values(2, 80, -10f, 10f);
        float[] v = OpHarness.values(3, 80);
        // Near-ties: in batch 1 every key is key 0 plus an offset of ±0.05 per entry, so the scores, ~1000 in size,
        // differ by a few units and the softmax is not one-hot (in batch 0 it is: out = v[argmax], dq = 0 exactly).
        float[] offsets = OpHarness.values(5, 40, -0.05f, 0.05f);
        for (int j = 1; j < 5; j++)
            for (int e = 0; e < 8; e++) k[40 + j * 8 + e] = k[40 + e] + offsets[j * 8 + e];
        double[][] want = causalInDouble(q, k, v, OpHarness.values(4, 80), 2, 5, 8);
        double largest = 0;
        for (double g : want[2]) largest = Math.max(largest, Math.abs(g));
        assertTrue(largest > 1, "the near-ties should give the keys a gradient, largest |dk| " + largest);
        String[] names = {"output", "dq", "dk", "dv"};
        for (Backend b : BOTH) {
            Tensor qt = Tensor.of(b, q, s).requiresGrad(true), kt = Tensor.of(b, k, s).requiresGrad(true);
            Tensor vt = Tensor.of(b, v, s).requiresGrad(true);
            Tensor out = Attention.scaledDotProduct(qt, kt, vt, null, true, 1f);
            for (float x : out.toArray()) assertTrue(Float.isFinite(x), "output not finite on " + b.name());
            out.backward(OpHarness.rand(b, 4, s));
            for (float g : qt.grad().toArray()) assertTrue(Float.isFinite(g), "gradient not finite on " + b.name());
            // A float score of ~1000 is rounded by up to ulp(1000)/2 = 3e-5, which moves its probability by that
            // relative amount: 2e-4 relative (plus 2e-5 absolute near 0) separates that from a wrong formula.
            // Measured: output 5e-6, dk 1.5e-4 (of values up to ~3) on cpu; ten times less on reference.
            float[][] got = {out.toArray(), qt.grad().toArray(), kt.grad().toArray(), vt.grad().toArray()};
            for (int i = 0; i < 4; i++)
                OpHarness.assertClose("large-score " + names[i] + " vs double on " + b.name(), toFloat(want[i]), got[i],
                        2e-4, 2e-5);
        }
        for (Backend fast : OpHarness.fastBackends())
            OpHarness.assertBackendsAgree("attention with large scores", fast,
                    t -> Attention.scaledDotProduct(t[0], t[1], t[2], null, true, 1f),
                    new float[][] {q, k, v}, new int[][] {s, s, s}, 1e-4, 1e-4);
    }

    /**
     * Causal attention with scale 1 computed in double, the independent reference for large scores: q, k, v and
     * dOut are (B, T, D) with T = S and E = D; returns {out, dq, dk, dv}. Per query t over keys j <= t:
     * p = softmax(q_t·k_j) (max subtracted), out_t = Σ p_j v_j, dv_j += p_j dOut_t,
     * dS_j = p_j (dOut_t·v_j − Σ_i p_i dOut_t·v_i), dq_t = Σ dS_j k_j, dk_j += dS_j q_t.
     */
    private static double[][] causalInDouble(float[] q, float[] k, float[] v, float[] dOut, int batch, int t, int d) {
        double[] out = new double[batch * t * d], dq = new double[out.length], dk = new double[out.length];
        double[] dv = new double[out.length];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < t; i++) {
                int qi = (b * t + i) * d;
                double[] p = new double[i + 1], dp = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY, sum = 0, dot = 0;
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < d; e++) p[j] += (double) q[qi + e] * k[(b * t + j) * d + e];
                    max = Math.max(max, p[j]);
                }
                for (int j = 0; j <= i; j++) sum += p[j] = Math.exp(p[j] - max);
                for (int j = 0; j <= i; j++) {
                    p[j] /= sum;
                    int kj = (b * t + j) * d;
                    for (int e = 0; e < d; e++) {
                        out[qi + e] += p[j] * v[kj + e];
                        dv[kj + e] += p[j] * dOut[qi + e];
                        dp[j] += (double) dOut[qi + e] * v[kj + e];
                    }
                    dot += p[j] * dp[j];
                }
                for (int j = 0; j <= i; j++) {
                    int kj = (b * t + j) * d;
                    double ds = p[j] * (dp[j] - dot);
                    for (int e = 0; e < d; e++) {
                        dq[qi + e] += ds * k[kj + e];
                        dk[kj + e] += ds * q[qi + e];
                    }
                }
            }
        return new double[][] {out, dq, dk, dv};
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    @Test
    void badShapesNameTheOp() {
        Backend b = Backends.cpu();
        Tensor q = Tensor.zeros(b, 2, 3, 4), k = Tensor.zeros(b, 2, 5, 4), v = Tensor.zeros(b, 2, 5, 6);
        String op = "scaled_dot_product_attention";
        assertMessage(() -> Attention.scaledDotProduct(q, Tensor.zeros(b, 2, 5, 3), v, null, false), op, "last dim");
        assertMessage(() -> Attention.scaledDotProduct(q, k, Tensor.zeros(b, 2, 4, 6), null, false), op, "keys");
        assertMessage(() -> Attention.scaledDotProduct(q, Tensor.zeros(b, 3, 5, 4), v, null, false), op, "leading");
        assertMessage(() -> Attention.scaledDotProduct(q, Tensor.zeros(b, 5, 4), v, null, false), op, "rank");
        assertMessage(() -> Attention.scaledDotProduct(Tensor.zeros(b, 4), k, v, null, false), op, "rank");
        assertMessage(() -> Attention.scaledDotProduct(q, k, v, Tensor.zeros(b, 5, 3), false), op, "mask");
        assertMessage(() -> Attention.scaledDotProduct(q, k, v, null, false, Float.NaN), op, "scale");
        assertMessage(() -> Attention.scaledDotProduct(q, k, v.to(Backends.reference()), null, false), op, "backends");
    }

    @Test
    void outputShapeFollowsQAndV() {
        Backend b = Backends.cpu();
        Tensor out = Attention.scaledDotProduct(Tensor.zeros(b, 2, 3, 7, 4), Tensor.zeros(b, 2, 3, 5, 4),
                Tensor.zeros(b, 2, 3, 5, 6), null, true);
        assertEquals("[2, 3, 7, 6]", Shape.str(out.shape()));
    }
}
