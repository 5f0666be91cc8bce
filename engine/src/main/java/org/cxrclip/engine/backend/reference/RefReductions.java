package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.backend.ReductionKernels;

/** Reductions along one axis: x viewed as (outer, n, inner), sums accumulated in double. */
final class RefReductions implements ReductionKernels {
    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++) {
                int base = x.offset() + o * n * inner + j;
                double acc = op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    float v = xs[base + k * inner];
                    acc = op == ReduceOp.SUM ? acc + v : Math.max(acc, v);
                }
                os[out.offset() + o * inner + j] = (float) acc;
            }
    }

    @Override
    public void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        float[] xs = HostStorage.array(x), gs = HostStorage.array(gradOut), gi = HostStorage.array(gradIn);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                int best = 0;
                for (int k = 1; k < n; k++) {
                    float v = xs[x.offset() + base + k * inner], m = xs[x.offset() + base + best * inner];
                    if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) best = k;
                }
                for (int k = 0; k < n; k++)
                    gi[gradIn.offset() + base + k * inner] = k == best ? gs[gradOut.offset() + o * inner + j] : 0f;
            }
    }
}
