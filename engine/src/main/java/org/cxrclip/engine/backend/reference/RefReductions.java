package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.backend.ReductionKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class RefReductions implements ReductionKernels {
    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("RefReductions.reduce: not implemented yet");
    }

    @Override
    public void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn) {
        throw new UnsupportedOperationException("RefReductions.maxBackward: not implemented yet");
    }
}
