package org.cxrclip.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * MatMul and linear: the CPU GEMM equals the reference GEMM on random and awkward shapes (all transposes,
 * batches, broadcasting, beta 0 over NaN and beta 1), gradients equal finite differences, one product is
 * checked by hand, bad shapes are rejected with the op's name.
 *
 * <p>Tolerance: entries are in [-1, 1], so an output is a sum of L products (L = the contracted length: K for
 * the forward, M, N or batch·M for gradients). Float32 summation in another order differs from the double
 * reference by at most ~L·2⁻²⁴·max|term| ≈ 6e-8·L; atol = 1e-5·L leaves room for fma vs mul+add and blocked
 * order, yet a wrong index or a missing term (error ~0.1–1) fails.
 */
class MatMulTest {
    /** Sizes 1..70 with the awkward ones (vector width ± 1, one past the tile) drawn often. */
    private static final Gen<Integer> DIM = integers().between(1, 70).mix(arbitrary().pick(1, 3, 17, 33, 65), 40);

    private static int[] matrixShape(int[] batch, int rows, int cols, boolean trans) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = trans ? cols : rows;
        s[batch.length + 1] = trans ? rows : cols;
        return s;
    }

    @Test
    void cpuMatchesReferenceOnRandomShapesForwardAndBackward() {
        qt().withFixedSeed(11).withExamples(60).forAll(DIM, DIM, DIM, longs().all()).checkAssert((m, n, k, seed) -> {
            Rng r = new Rng(seed);
            boolean ta = r.nextInt(2) == 1, tb = r.nextInt(2) == 1;
            int batch = r.nextInt(4);        // 0: plain 2-D product
            int broadcast = r.nextInt(3);    // 0: both batched, 1: b is 2-D, 2: a is 2-D
            int[] bd = batch == 0 ? new int[0] : new int[] {batch};
            int[] sa = matrixShape(batch > 0 && broadcast == 2 ? new int[0] : bd, m, k, ta);
            int[] sb = matrixShape(batch > 0 && broadcast == 1 ? new int[0] : bd, k, n, tb);
            int longest = Math.max(k, Math.max(1, batch) * Math.max(m, n));
            for (Backend fast : OpHarness.fastBackends())
                OpHarness.assertBackendsAgree("matmul " + Shape.str(sa) + (ta ? "T" : "") + " x " + Shape.str(sb)
                                + (tb ? "T" : ""), fast, t -> MatMul.matmul(t[0], ta, t[1], tb),
                        new float[][] {OpHarness.values(seed, Shape.numel(sa)), OpHarness.values(~seed, Shape.numel(sb))},
                        new int[][] {sa, sb}, 1e-5, 1e-5 * longest);
        });
    }

    /** The kernel contract directly: alpha, beta = 0 over NaN (must be ignored), beta = 1 accumulating. */
    @Test
    void gemmKernelAlphaBetaAndNaNInOutputAgreeAcrossBackends() {
        qt().withFixedSeed(5).withExamples(40).forAll(DIM, DIM, DIM, longs().all()).checkAssert((m, n, k, seed) -> {
            Rng r = new Rng(seed);
            boolean ta = r.nextInt(2) == 1, tb = r.nextInt(2) == 1, accumulate = r.nextInt(2) == 1;
            int batch = 1 + r.nextInt(3);
            int[] bd = batch == 1 ? new int[0] : new int[] {batch};
            int[] sa = matrixShape(bd, m, k, ta), sb = matrixShape(r.nextInt(2) == 0 ? bd : new int[0], k, n, tb);
            int[] sc = matrixShape(bd, m, n, false);
            float[] av = OpHarness.values(seed, Shape.numel(sa)), bv = OpHarness.values(seed + 1, Shape.numel(sb));
            float[] cv = accumulate ? OpHarness.values(seed + 2, Shape.numel(sc)) : new float[Shape.numel(sc)];
            if (!accumulate) Arrays.fill(cv, Float.NaN);
            float beta = accumulate ? 1f : 0f;
            float[] expected = run(Backends.reference(), ta, tb, 0.75f, av, sa, bv, sb, beta, cv, sc);
            for (Backend fast : OpHarness.fastBackends()) {
                float[] actual = run(fast, ta, tb, 0.75f, av, sa, bv, sb, beta, cv, sc);
                for (float v : actual) assertTrue(!Float.isNaN(v), "gemm on " + fast.name() + " leaked NaN from c with beta 0");
                OpHarness.assertClose("gemm " + Shape.str(sa) + " " + Shape.str(sb) + " beta " + beta + " on " + fast.name(),
                        expected, actual, 1e-5, 1e-5 * k);
            }
        });
    }

    private static float[] run(Backend be, boolean ta, boolean tb, float alpha, float[] av, int[] sa, float[] bv,
                               int[] sb, float beta, float[] cv, int[] sc) {
        Tensor c = Tensor.of(be, cv, sc);
        be.matmul().gemm(ta, tb, alpha, Tensor.of(be, av, sa), Tensor.of(be, bv, sb), beta, c);
        return c.toArray();
    }

    @Test
    void linearMatchesReferenceForAnyRankWithAndWithoutBias() {
        qt().withFixedSeed(3).withExamples(30).forAll(DIM, DIM, integers().between(1, 3), longs().all())
                .checkAssert((n, k, rank, seed) -> {
                    Rng r = new Rng(seed);
                    int[] xs = new int[rank];
                    for (int i = 0; i < rank - 1; i++) xs[i] = 1 + r.nextInt(9);
                    xs[rank - 1] = k;
                    boolean withBias = r.nextInt(2) == 1;
                    int rows = Shape.prod(xs, 0, rank - 1);
                    float[][] in = withBias
                            ? new float[][] {OpHarness.values(seed, rows * k), OpHarness.values(seed + 1, n * k), OpHarness.values(seed + 2, n)}
                            : new float[][] {OpHarness.values(seed, rows * k), OpHarness.values(seed + 1, n * k)};
                    int[][] shapes = withBias ? new int[][] {xs, {n, k}, {n}} : new int[][] {xs, {n, k}};
                    for (Backend fast : OpHarness.fastBackends())
                        OpHarness.assertBackendsAgree("linear " + Shape.str(xs) + " bias " + withBias, fast,
                                t -> MatMul.linear(t[0], t[1], withBias ? t[2] : null), in, shapes,
                                1e-5, 1e-5 * Math.max(k, Math.max(rows, n)));
                });
    }

    @Test
    void matmulGradientsMatchFiniteDifferencesForEveryTranspose() {
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                int[] sa = matrixShape(new int[0], 3, 4, ta), sb = matrixShape(new int[0], 4, 2, tb);
                OpHarness.gradcheck("matmul ta=" + ta + " tb=" + tb, t -> MatMul.matmul(t[0], ta, t[1], tb),
                        new float[][] {OpHarness.values(1, 12), OpHarness.values(2, 8)}, new int[][] {sa, sb});
            }
    }

    @Test
    void batchedAndBroadcastMatmulGradientsMatchFiniteDifferences() {
        int[][][] cases = {
            {{2, 3, 4}, {2, 4, 5}},  // both batched
            {{2, 3, 4}, {4, 5}},     // 2-D weight shared by the batch: its gradient sums over the batch
            {{3, 4}, {2, 4, 5}},     // 2-D left operand broadcast
        };
        for (int[][] c : cases)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true}) {
                    int[] sa = c[0].clone(), sb = c[1].clone();
                    if (ta) swapLast(sa);
                    if (tb) swapLast(sb);
                    OpHarness.gradcheck("matmul " + Shape.str(sa) + " ta=" + ta + " x " + Shape.str(sb) + " tb=" + tb,
                            t -> MatMul.matmul(t[0], ta, t[1], tb),
                            new float[][] {OpHarness.values(3, Shape.numel(sa)), OpHarness.values(4, Shape.numel(sb))},
                            new int[][] {sa, sb});
                }
    }

    private static void swapLast(int[] s) {
        int t = s[s.length - 1];
        s[s.length - 1] = s[s.length - 2];
        s[s.length - 2] = t;
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        OpHarness.gradcheck("linear rank 3 with bias", t -> MatMul.linear(t[0], t[1], t[2]),
                new float[][] {OpHarness.values(5, 2 * 3 * 4), OpHarness.values(6, 5 * 4), OpHarness.values(7, 5)},
                new int[][] {{2, 3, 4}, {5, 4}, {5}});
        OpHarness.gradcheck("linear rank 1 without bias", t -> MatMul.linear(t[0], t[1], null),
                new float[][] {OpHarness.values(8, 4), OpHarness.values(9, 3 * 4)}, new int[][] {{4}, {3, 4}});
    }

    @Test
    void smallProductComputedByHand() {
        for (Backend be : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor a = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = Tensor.of(be, new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
            // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
            assertArrayEquals(new float[] {58, 64, 139, 154}, MatMul.matmul(a, b).toArray(), be.name());
            // x · Wᵀ + b with W = bᵀ (2, 3) and bias (1, -1)
            Tensor w = Tensor.of(be, new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
            Tensor bias = Tensor.of(be, new float[] {1, -1}, 2);
            assertArrayEquals(new float[] {59, 63, 140, 153}, MatMul.linear(a, w, bias).toArray(), be.name());
        }
    }

    @Test
    void badShapesAreRejectedNamingTheOp() {
        Backend be = Backends.cpu();
        assertMessage("matmul", "[2, 3]", () -> MatMul.matmul(Tensor.zeros(be, 2, 3), Tensor.zeros(be, 4, 2)));
        assertMessage("matmul", "rank", () -> MatMul.matmul(Tensor.zeros(be, 3), Tensor.zeros(be, 3, 2)));
        assertMessage("matmul", "batch", () -> MatMul.matmul(Tensor.zeros(be, 2, 3, 4), Tensor.zeros(be, 3, 4, 5)));
        assertMessage("matmul", "[2, 3]", () -> MatMul.matmul(Tensor.zeros(be, 2, 3), true, Tensor.zeros(be, 3, 2), false));
        assertMessage("linear", "weight", () -> MatMul.linear(Tensor.zeros(be, 2, 3), Tensor.zeros(be, 4, 2), null));
        assertMessage("linear", "bias", () -> MatMul.linear(Tensor.zeros(be, 2, 3), Tensor.zeros(be, 4, 3), Tensor.zeros(be, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> MatMul.matmul(Tensor.zeros(be, 2, 3), Tensor.zeros(Backends.reference(), 3, 2)));
    }

    private static void assertMessage(String op, String part, org.junit.jupiter.api.function.Executable call) {
        ShapeException e = assertThrows(ShapeException.class, call);
        assertTrue(e.getMessage().startsWith(op + ":") && e.getMessage().contains(part), e.getMessage());
    }
}
