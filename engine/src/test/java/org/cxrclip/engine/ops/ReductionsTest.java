package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.ArithmeticTest.assertNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class ReductionsTest {
    /** The reductions over a random non-empty subset of axes (or all elements), each with and without keepDim. */
    private static void forEachReduction(Rng r, int[] s, java.util.function.BiConsumer<String, Function<Tensor, Tensor>> check) {
        check.accept("sum()", Reductions::sum);
        check.accept("mean()", Reductions::mean);
        if (s.length == 0) return;
        int axis = r.nextInt(s.length) - (r.nextInt(2) == 0 ? s.length : 0); // sometimes negative
        java.util.List<Integer> picked = new java.util.ArrayList<>();
        for (int a = 0; a < s.length; a++) if (r.nextInt(2) == 0) picked.add(a);
        if (picked.isEmpty()) picked.add(s.length - 1);
        int[] axes = picked.stream().mapToInt(Integer::intValue).toArray();
        boolean keep = r.nextInt(2) == 0;
        check.accept("sum(" + axis + ")", x -> Reductions.sum(x, axis, keep));
        check.accept("mean(" + axis + ")", x -> Reductions.mean(x, axis, keep));
        check.accept("max(" + axis + ")", x -> Reductions.max(x, axis, keep));
        check.accept("sum" + picked, x -> Reductions.sum(x, axes, keep));
        check.accept("mean" + picked, x -> Reductions.mean(x, axes, keep));
        check.accept("max" + picked, x -> Reductions.max(x, axes, keep));
    }

    @Test
    void cpuAgreesWithReferenceOnRandomShapes() {
        qt().withFixedSeed(31).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            Rng r = new Rng(seed);
            int[] s = RandomShapes.shape(r, 0, 4, 5000);
            float[] v = OpHarness.values(seed, Shape.numel(s));
            forEachReduction(r, s, (name, f) -> {
                for (Backend fast : OpHarness.fastBackends())
                    OpHarness.assertBackendsAgree(name + Shape.str(s), fast, t -> f.apply(t[0]), new float[][] {v},
                            new int[][] {s}, 1e-5, 1e-5);
            });
        });
    }

    /** Rows long enough to use several sum blocks and shapes that split over threads along rows or columns. */
    @Test
    void cpuAgreesWithReferenceOnLargeShapes() {
        int[][] shapes = {{3, 20_001}, {20_001, 3}, {2, 9_000, 5}, {600, 257}, {1, 70_000}};
        for (int[] s : shapes) {
            float[] v = OpHarness.values(8, Shape.numel(s));
            for (int axis = 0; axis < s.length; axis++) {
                int a = axis;
                for (Backend fast : OpHarness.fastBackends()) {
                    OpHarness.assertBackendsAgree("sum" + Shape.str(s) + a, fast, t -> Reductions.sum(t[0], a, false),
                            new float[][] {v}, new int[][] {s}, 1e-5, 1e-4);
                    OpHarness.assertBackendsAgree("max" + Shape.str(s) + a, fast, t -> Reductions.max(t[0], a, true),
                            new float[][] {v}, new int[][] {s}, 0, 0);
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        qt().withFixedSeed(32).withExamples(10).forAll(longs().all()).checkAssert(seed -> {
            Rng r = new Rng(seed);
            int[] s = RandomShapes.shape(r, 0, 3, 40);
            // values 0.1 apart in random order: the maximum is unique with a margin far above the step (0.01),
            // so max is differentiable at the test point and the finite differences do not cross a tie
            int n = Shape.numel(s);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = 0.1f * (i - n / 2);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
            forEachReduction(r, s, (name, f) -> OpHarness.gradcheck(name, t -> f.apply(t[0]), new float[][] {v}, new int[][] {s}));
        });
    }

    @Test
    void handComputedValuesAndShapes() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            // [[1, 5, 2], [7, 0, 7]]
            Tensor x = Tensor.of(b, new float[] {1, 5, 2, 7, 0, 7}, 2, 3).requiresGrad(true);
            Tensor all = Reductions.sum(x);
            assertArrayEquals(new int[0], all.shape());
            assertEquals(22f, all.item());
            assertEquals(22f / 6, Reductions.mean(x).item(), 1e-6);
            assertArrayEquals(new float[] {8, 5, 9}, Reductions.sum(x, 0, false).toArray());
            assertArrayEquals(new int[] {2, 1}, Reductions.mean(x, -1, true).shape());
            assertArrayEquals(new float[] {8f / 3, 14f / 3}, Reductions.mean(x, -1, true).toArray(), 1e-6f);
            assertArrayEquals(new float[] {5, 7}, Reductions.max(x, 1, false).toArray());
            assertArrayEquals(new int[] {1, 1}, Reductions.sum(x, new int[] {0, 1}, true).shape());
            // max backward: the gradient goes to the first maximum of each row (row 2 has a tie at 0 and 2)
            Reductions.sum(Reductions.max(x, 1, false)).backward();
            assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, x.grad().toArray());
        }
    }

    @Test
    void badInputNamesTheOp() {
        Tensor x = Tensor.zeros(Backends.cpu(), 2, 3);
        assertNames("sum", () -> Reductions.sum(x, 2, false));
        assertNames("mean", () -> Reductions.mean(x, -3, false));
        assertNames("max", () -> Reductions.max(x, new int[] {1, -1}, false));
        assertNames("max", () -> Reductions.max(Tensor.zeros(Backends.cpu(), 2, 0), 1, false));
    }
}
