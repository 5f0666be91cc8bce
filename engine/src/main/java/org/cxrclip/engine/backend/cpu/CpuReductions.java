package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.backend.ReductionKernels;

/**
 * Reductions along one axis with x viewed as (outer, n, inner). Over the last axis (inner = 1) each output is
 * a SIMD row sum/max; otherwise the n slices (inner) are added/maxed element-wise into the output row with SIMD.
 * Work splits over outer rows, or over inner columns when there are too few rows; each output element is
 * reduced in the same order whatever the split.
 */
final class CpuReductions implements ReductionKernels {
    private static final int GRAIN = CpuPointwise.GRAIN;

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset();
        boolean sum = op == ReduceOp.SUM;
        if (n == 0) { // torch: sum of nothing is 0, max of nothing is an error (the op layer rejects it)
            VectorLoops.fill(os, oo, out.numel(), sum ? 0f : Float.NEGATIVE_INFINITY);
            return;
        }
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, GRAIN / n), (r0, r1) -> {
                for (int r = r0; r < r1; r++)
                    os[oo + r] = sum ? VectorLoops.sum(xs, xo + r * n, n) : VectorLoops.max(xs, xo + r * n, n);
            });
            return;
        }
        if (outer >= Parallel.threads() || (long) n * inner < GRAIN) {
            Parallel.forRange(outer, Math.max(1, GRAIN / (n * inner)), (r0, r1) -> {
                for (int r = r0; r < r1; r++) slices(sum, xs, xo + r * n * inner, n, inner, os, oo + r * inner, 0, inner);
            });
        } else {
            for (int r = 0; r < outer; r++) {
                int xr = xo + r * n * inner, or = oo + r * inner;
                Parallel.forRange(inner, Math.max(256, GRAIN / n), (c0, c1) -> slices(sum, xs, xr, n, inner, os, or, c0, c1));
            }
        }
    }

    // o[c0:c1] = reduce over k of x[k, c0:c1]; x (n, inner), o (inner)
    private static void slices(boolean sum, float[] x, int xo, int n, int inner, float[] o, int oo, int c0, int c1) {
        System.arraycopy(x, xo + c0, o, oo + c0, c1 - c0);
        for (int k = 1; k < n; k++) {
            if (sum) VectorLoops.addInto(x, xo + k * inner + c0, o, oo + c0, c1 - c0);
            else VectorLoops.maxInto(x, xo + k * inner + c0, o, oo + c0, c1 - c0);
        }
    }

    @Override
    public void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        float[] xs = HostStorage.array(x), gs = HostStorage.array(gradOut), gi = HostStorage.array(gradIn);
        int xo = x.offset(), go = gradOut.offset(), io = gradIn.offset();
        VectorLoops.fill(gi, io, gradIn.numel(), 0f);
        Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, n * inner)), (r0, r1) -> {
            for (int r = r0; r < r1; r++)
                for (int j = 0; j < inner; j++) {
                    int base = r * n * inner + j;
                    int best = 0;
                    float m = xs[xo + base];
                    for (int k = 1; k < n; k++) {
                        float v = xs[xo + base + k * inner];
                        if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) {
                            best = k;
                            m = v;
                        }
                    }
                    gi[io + base + best * inner] = gs[go + r * inner + j];
                }
        });
    }
}
