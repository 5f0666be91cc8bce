package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.LayoutKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class CpuLayout implements LayoutKernels {
    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        throw new UnsupportedOperationException("CpuLayout.permute: not implemented yet");
    }

    @Override
    public void readSlice(Tensor x, int axis, int start, Tensor out) {
        throw new UnsupportedOperationException("CpuLayout.readSlice: not implemented yet");
    }

    @Override
    public void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate) {
        throw new UnsupportedOperationException("CpuLayout.writeSlice: not implemented yet");
    }

    @Override
    public void gatherRows(Tensor table, int[] idx, Tensor out) {
        throw new UnsupportedOperationException("CpuLayout.gatherRows: not implemented yet");
    }

    @Override
    public void scatterAddRows(Tensor src, int[] idx, Tensor table) {
        throw new UnsupportedOperationException("CpuLayout.scatterAddRows: not implemented yet");
    }
}
