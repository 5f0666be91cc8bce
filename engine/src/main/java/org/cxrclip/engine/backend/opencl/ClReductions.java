package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.backend.ReductionKernels;

/** Axis reductions of {@code reductions.cl}: a work-group per row for the last axis, a work-item per column otherwise. */
final class ClReductions implements ReductionKernels {
    private static final String F = "reductions";
    static final int GROUP = 128; // = GROUP in common.cl

    private final ClContext cl;

    ClReductions(ClContext cl) {
        this.cl = cl;
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        if (inner == 1 && n >= GROUP)
            cl.launch(F, "reduce_rows", new long[] {(long) outer * GROUP}, new long[] {GROUP}, op.ordinal(), x, out, n);
        else
            cl.launch(F, "reduce_columns", new long[] {(long) outer * inner}, new long[] {64}, op.ordinal(), x, out,
                    outer, n, inner);
    }

    @Override
    public void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn) {
        int[] s = x.shape();
        int outer = Shape.prod(s, 0, axis), n = s[axis], inner = Shape.prod(s, axis + 1, s.length);
        cl.launch(F, "max_backward", new long[] {(long) outer * inner}, new long[] {64}, x, gradOut, gradIn,
                outer, n, inner);
    }
}
