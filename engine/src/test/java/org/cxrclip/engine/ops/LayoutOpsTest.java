package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.ArithmeticTest.assertNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.function.Function;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

/** reshape, permute/transpose, concat, slice, indexSelect/embedding. */
class LayoutOpsTest {
    private static void agreeAndGradcheck(String name, Function<Tensor[], Tensor> f, int[][] shapes, long seed, boolean grad) {
        float[][] v = new float[shapes.length][];
        for (int i = 0; i < v.length; i++) v[i] = OpHarness.values(seed + i, Shape.numel(shapes[i]));
        for (Backend fast : OpHarness.fastBackends()) OpHarness.assertBackendsAgree(name, fast, f, v, shapes, 0, 0);
        if (grad) OpHarness.gradcheck(name, f, v, shapes);
    }

    private static int[] randomPermutation(Rng r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void randomShapes() {
        qt().withFixedSeed(41).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            Rng r = new Rng(seed);
            boolean small = r.nextInt(3) == 0; // a third small enough for finite differences
            int[] s = RandomShapes.shape(r, 1, 4, small ? 40 : 5000);
            int rank = s.length, axis = r.nextInt(rank);
            String tag = Shape.str(s);

            int[] perm = randomPermutation(r, rank);
            agreeAndGradcheck("permute" + tag, t -> Permute.permute(t[0], perm), new int[][] {s}, seed, small);
            int a = r.nextInt(rank), b = r.nextInt(rank);
            agreeAndGradcheck("transpose" + tag, t -> Permute.transpose(t[0], a, b), new int[][] {s}, seed, small);

            int[] flat = {-1};
            agreeAndGradcheck("reshape" + tag, t -> Reshape.reshape(t[0], flat), new int[][] {s}, seed, small);

            int start = r.nextInt(s[axis] + 1), end = start + r.nextInt(s[axis] - start + 1);
            agreeAndGradcheck("slice" + tag, t -> Slice.slice(t[0], axis, start, end), new int[][] {s}, seed, small);

            int[] s2 = s.clone();
            s2[axis] = 1 + r.nextInt(3);
            agreeAndGradcheck("concat" + tag, t -> Concat.concat(axis, t[0], t[1], t[0]), new int[][] {s, s2}, seed, small);

            int vocab = 1 + r.nextInt(17), dim = s[rank - 1];
            int[] idx = new int[1 + r.nextInt(small ? 5 : 40)];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(vocab); // repeats likely: they must accumulate
            agreeAndGradcheck("indexSelect" + vocab + "x" + dim, t -> Gather.indexSelect(t[0], idx),
                    new int[][] {{vocab, dim}}, seed, small);
        });
    }

    /** Layouts with dedicated CPU paths: runs of the last axis, inner transposes in tiles, strided gathers; large enough to split. */
    @Test
    void largePermutations() {
        int[][] shapes = {{70, 300}, {4, 50, 12, 64}, {3, 40, 41, 7}, {2, 33, 65}};
        Rng r = new Rng(3);
        for (int[] s : shapes)
            for (int k = 0; k < 4; k++) {
                int[] perm = randomPermutation(r, s.length);
                agreeAndGradcheck("permute" + Shape.str(s) + java.util.Arrays.toString(perm),
                        t -> Permute.permute(t[0], perm), new int[][] {s}, k, false);
            }
        agreeAndGradcheck("slice", t -> Slice.slice(t[0], 1, 100, 1900), new int[][] {{40, 2000}}, 1, false);
        agreeAndGradcheck("concat", t -> Concat.concat(-1, t[0], t[1]), new int[][] {{300, 100}, {300, 200}}, 1, false);
        int[] idx = new int[5000];
        for (int i = 0; i < idx.length; i++) idx[i] = (i * 7919) % 100;
        agreeAndGradcheck("indexSelect", t -> Gather.indexSelect(t[0], idx), new int[][] {{100, 512}}, 1, false);
    }

    @Test
    void handComputedValues() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor x = Tensor.of(b, new float[] {0, 1, 2, 3, 4, 5}, 2, 3).requiresGrad(true);
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Permute.transpose(x, 0, 1).toArray());
            assertArrayEquals(new int[] {3, 2}, Reshape.reshape(x, -1, 2).shape());
            assertSame(x.storage(), Reshape.reshape(x, 6).storage()); // a view, no copy
            assertArrayEquals(new float[] {1, 2, 4, 5}, Slice.slice(x, 1, 1, 3).toArray());
            assertArrayEquals(new float[] {3, 4, 5}, Slice.slice(x, 0, 1, 2).toArray());
            assertArrayEquals(new float[] {0, 1, 2, 0, 3, 4, 5, 3}, Concat.concat(1, x, Slice.slice(x, 1, 0, 1)).toArray());
            Tensor table = Tensor.of(b, new float[] {10, 11, 20, 21, 30, 31}, 3, 2).requiresGrad(true);
            Tensor e = Gather.embedding(table, new int[] {2, 0, 2, 2}, 2, 2);
            assertArrayEquals(new int[] {2, 2, 2}, e.shape());
            assertArrayEquals(new float[] {30, 31, 10, 11, 30, 31, 30, 31}, e.toArray());
            Reductions.sum(e).backward();
            assertArrayEquals(new float[] {1, 1, 0, 0, 3, 3}, table.grad().toArray()); // row 2 used three times
        }
    }

    @Test
    void badInputNamesTheOp() {
        Tensor x = Tensor.zeros(Backends.cpu(), 2, 3);
        assertNames("permute", () -> Permute.permute(x, 0, 0));
        assertNames("permute", () -> Permute.permute(x, 0));
        assertNames("transpose", () -> Permute.transpose(x, 0, 2));
        assertNames("reshape", () -> Reshape.reshape(x, 4, 2));
        assertNames("slice", () -> Slice.slice(x, 1, 2, 4));
        assertNames("slice", () -> Slice.slice(x, 2, 0, 1));
        assertNames("concat", () -> Concat.concat(0, x, Tensor.zeros(Backends.cpu(), 2, 4)));
        assertNames("concat", () -> Concat.concat(0, x, Tensor.zeros(Backends.cpu(), 6)));
        assertNames("concat", () -> Concat.concat(0, x, Tensor.zeros(Backends.reference(), 2, 3)));
        assertNames("indexSelect", () -> Gather.indexSelect(x, new int[] {0, 2}));
        assertNames("indexSelect", () -> Gather.indexSelect(x, new int[] {-1}));
        assertNames("indexSelect", () -> Gather.indexSelect(Tensor.zeros(Backends.cpu(), 6), new int[] {0}));
        assertNames("embedding", () -> Gather.embedding(x, new int[] {0, 1}, 3));
    }
}
