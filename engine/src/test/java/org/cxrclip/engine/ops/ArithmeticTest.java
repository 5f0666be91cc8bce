package org.cxrclip.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.function.BinaryOperator;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ArithmeticTest {
    private record Op(String name, BinaryOperator<Tensor> f) {}

    private static final Op[] OPS = {
        new Op("add", Arithmetic::add), new Op("sub", Arithmetic::sub),
        new Op("mul", Arithmetic::mul), new Op("div", Arithmetic::div),
    };

    /** Divisors in ±[0.5, 1.5): far from 0 so a/b and its finite differences stay tame. */
    private static float[] divisors(long seed, int n) {
        float[] v = OpHarness.values(seed, n, 0.5f, 1.5f);
        Rng r = new Rng(seed ^ 99);
        for (int i = 0; i < n; i++) if (r.nextInt(2) == 0) v[i] = -v[i];
        return v;
    }

    /** Two shapes that broadcast together: a random shape and a partner, in random order. */
    private static int[][] pair(long seed, int maxNumel) {
        Rng r = new Rng(seed);
        int[] s = RandomShapes.shape(r, 0, 4, maxNumel), p = RandomShapes.partner(r, s);
        return r.nextInt(2) == 0 ? new int[][] {s, p} : new int[][] {p, s};
    }

    private static void agree(Op op, int[] sa, int[] sb, long seed) {
        float[] a = OpHarness.values(seed, Shape.numel(sa)), b = divisors(seed + 1, Shape.numel(sb));
        for (Backend fast : OpHarness.fastBackends())
            OpHarness.assertBackendsAgree(op.name + Shape.str(sa) + Shape.str(sb), fast, t -> op.f.apply(t[0], t[1]),
                    new float[][] {a, b}, new int[][] {sa, sb}, 1e-5, 1e-5);
    }

    @Test
    void cpuAgreesWithReferenceOnRandomBroadcasts() {
        qt().withFixedSeed(21).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            int[][] s = pair(seed, 4000);
            for (Op op : OPS) agree(op, s[0], s[1], seed);
        });
    }

    /** The layouts with fast paths (same shape, row vector, per-row scalar, scalar) and awkward ones, incl. sizes that split over threads. */
    @Test
    void cpuAgreesWithReferenceOnNamedLayouts() {
        int[][][] cases = {
            {{3, 1, 5}, {4, 1}}, {{4, 1}, {3, 1, 5}}, {{300, 257}, {257}}, {{257}, {300, 257}}, {{300, 257}, {300, 1}},
            {{300, 1}, {300, 257}}, {{100_003}, {100_003}}, {{100_003}, {}}, {{}, {100_003}}, {{}, {}}, {{1}, {1, 1}},
            {{2, 1, 33}, {1, 17, 1}}, {{5, 3, 17}, {5, 1, 17}}, {{1, 1}, {40_000, 1}}, {{2, 70_000}, {2, 1}},
        };
        for (int[][] c : cases) for (Op op : OPS) agree(op, c[0], c[1], 3);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        qt().withFixedSeed(22).withExamples(12).forAll(longs().all()).checkAssert(seed -> {
            int[][] s = pair(seed, 30);
            for (Op op : OPS)
                OpHarness.gradcheck(op.name, t -> op.f.apply(t[0], t[1]),
                        new float[][] {OpHarness.values(seed, Shape.numel(s[0])), divisors(seed + 1, Shape.numel(s[1]))}, s);
        });
        int[][] fixed = {{3, 1, 5}, {4, 1}};
        for (Op op : OPS)
            OpHarness.gradcheck(op.name, t -> op.f.apply(t[0], t[1]),
                    new float[][] {OpHarness.values(1, 15), divisors(2, 4)}, fixed);
    }

    @Test
    void scalarFormsAndBroadcastPrimitives() {
        float[] x = OpHarness.values(4, 15);
        int[][] s = {{3, 5}};
        OpHarness.gradcheck("add(x, c)", t -> Arithmetic.add(t[0], 2.5f), new float[][] {x}, s);
        OpHarness.gradcheck("mul(x, c)", t -> Arithmetic.mul(t[0], -3f), new float[][] {x}, s);
        OpHarness.gradcheck("expand", t -> Arithmetic.expand(t[0], 2, 3, 5), new float[][] {OpHarness.values(5, 5)}, new int[][] {{1, 5}});
        OpHarness.gradcheck("sumTo", t -> Arithmetic.sumTo(t[0], 3, 1), new float[][] {x}, s);
        Tensor t = Tensor.of(Backends.cpu(), new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {3.5f, 4.5f, 5.5f, 6.5f, 7.5f, 8.5f}, Arithmetic.add(t, 2.5f).toArray());
        assertArrayEquals(new float[] {-1, 0, 1, 2, 3, 4}, Arithmetic.sub(t, 2f).toArray());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, Arithmetic.div(t, 2f).toArray());
        assertArrayEquals(new float[] {5, 7, 9}, Arithmetic.sumTo(t, 3).toArray());
        assertArrayEquals(new float[] {6, 15}, Arithmetic.sumTo(t, 2, 1).toArray());
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, Arithmetic.expand(Tensor.of(Backends.cpu(), new float[] {1, 2, 3}, 3), 2, 3).toArray());
    }

    /** (3,1) + (2,): every pair of a row value and a column value, worked out by hand. */
    @Test
    void handComputedBroadcast() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor a = Tensor.of(b, new float[] {10, 20, 30}, 3, 1).requiresGrad(true);
            Tensor c = Tensor.of(b, new float[] {1, 2}, 2).requiresGrad(true);
            Tensor y = Arithmetic.sub(a, c);
            assertArrayEquals(new int[] {3, 2}, y.shape());
            assertArrayEquals(new float[] {9, 8, 19, 18, 29, 28}, y.toArray());
            Reductions.sum(y).backward();
            assertArrayEquals(new float[] {2, 2, 2}, a.grad().toArray()); // each a[i] appears in 2 outputs
            assertArrayEquals(new float[] {-3, -3}, c.grad().toArray()); // each c[j] subtracted in 3 outputs
        }
    }

    /** x used twice: y = x·x + x has dy/dx = 2x + 1, which needs both uses' gradients accumulated. */
    @Test
    void fanOutAccumulates() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            float[] v = {-2, -0.5f, 0, 1.5f, 3};
            Tensor x = Tensor.of(b, v, 5).requiresGrad(true);
            Reductions.sum(Arithmetic.add(Arithmetic.mul(x, x), x)).backward();
            float[] expected = new float[5];
            for (int i = 0; i < 5; i++) expected[i] = 2 * v[i] + 1;
            assertArrayEquals(expected, x.grad().toArray());
        }
    }

    @Test
    void badInputNamesTheOp() {
        Tensor a = Tensor.zeros(Backends.cpu(), 2, 3), b = Tensor.zeros(Backends.cpu(), 4);
        assertNames("add", () -> Arithmetic.add(a, b));
        assertNames("div", () -> Arithmetic.div(a, Tensor.zeros(Backends.cpu(), 2, 2)));
        assertNames("mul", () -> Arithmetic.mul(a, Tensor.zeros(Backends.reference(), 2, 3)));
        assertNames("expand", () -> Arithmetic.expand(a, 3, 3));
        assertNames("sumTo", () -> Arithmetic.sumTo(a, 2, 2));
    }

    static void assertNames(String op, Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(op), "message should name " + op + ": " + e.getMessage());
    }
}
