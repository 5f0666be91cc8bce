package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.ReduceOp;
import org.cxrclip.engine.backend.ReductionKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class CpuReductions implements ReductionKernels {
    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("CpuReductions.reduce: not implemented yet");
    }

    @Override
    public void maxBackward(Tensor x, Tensor gradOut, int axis, Tensor gradIn) {
        throw new UnsupportedOperationException("CpuReductions.maxBackward: not implemented yet");
    }
}
