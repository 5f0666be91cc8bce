package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** Reductions along one axis; {@code out} has x's shape with that axis of size 1. */
public interface ReductionKernels {
    void reduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /** gradIn = gradOut at the first index of the maximum along {@code axis}, 0 elsewhere (as torch.max(dim)). */
    void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn);
}
