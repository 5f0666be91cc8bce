package org.cxrclip.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.Function;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

/**
 * Kernel-level checks the op tests do not reach: the memory kernels on views with offsets, and results that
 * are bit-for-bit the same for 1, 2 and 3 threads (each output element is computed in one fixed order).
 */
class CpuKernelsTest {
    private static final Backend CPU = Backends.cpu(), REF = Backends.reference();

    @Test
    void memoryKernelsOnOffsetViews() {
        int n = 150_001;
        for (Backend b : new Backend[] {REF, CPU}) {
            float[] v = OpHarness.values(1, n + 7);
            Tensor x = Tensor.of(b, v, n + 7).rows(7, n + 7); // offset 7: unaligned
            Tensor y = Tensor.of(b, OpHarness.values(2, n + 3), n + 3).rows(3, n + 3);
            float[] y0 = y.toArray();
            b.pointwise().axpy(-0.5f, x, y);
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = y0[i] + -0.5f * v[i + 7];
            assertArrayEquals(expected, y.toArray(), 1e-6f, b.name() + " axpy");
            b.pointwise().copy(x, y);
            assertArrayEquals(x.toArray(), y.toArray(), b.name() + " copy");
            b.pointwise().fill(y, 2.5f);
            for (float f : y.toArray()) if (f != 2.5f) throw new AssertionError(b.name() + " fill");
        }
    }

    private static float[] withThreads(int threads, Function<Backend, Tensor> f) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            return f.apply(CPU).toArray();
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void sameForAnyThreadCount(String what, Function<Backend, Tensor> f) {
        float[] one = withThreads(1, f);
        assertArrayEquals(one, withThreads(2, f), what + ": 2 threads differ from 1");
        assertArrayEquals(one, withThreads(3, f), what + ": 3 threads differ from 1");
        OpHarness.assertClose(what + " vs reference", f.apply(REF).toArray(), one, 1e-5, 1e-4);
    }

    private static Tensor rand(Backend b, int... shape) {
        return Tensor.of(b, OpHarness.values(Shape.numel(shape), Shape.numel(shape)), shape);
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        int[][] sumToCases = {{600, 1000}, {1000}, {600, 1}, {1}, {3, 1, 1000}, {1, 200, 1}};
        for (int[] target : sumToCases) {
            int[] from = target.length == 3 ? new int[] {3, 200, 1000} : new int[] {600, 1000};
            sameForAnyThreadCount("sumTo" + Shape.str(target), b -> {
                Tensor out = Tensor.zeros(b, target);
                b.pointwise().sumTo(rand(b, from), out);
                return out;
            });
        }
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            for (ReduceOp op : ReduceOp.values())
                sameForAnyThreadCount("reduce " + op + " axis " + a, b -> {
                    int[] s = {5, 300, 400};
                    int[] o = s.clone();
                    o[a] = 1;
                    Tensor out = Tensor.zeros(b, o);
                    b.reductions().reduce(op, rand(b, s), a, out);
                    return out;
                });
        }
        sameForAnyThreadCount("scatterAddRows", b -> {
            int[] idx = new int[3000];
            for (int i = 0; i < idx.length; i++) idx[i] = (i * 31) % 50;
            Tensor table = rand(b, 50, 700);
            b.layout().scatterAddRows(rand(b, 3000, 700), idx, table);
            return table;
        });
    }
}
