package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.LayoutKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class RefLayout implements LayoutKernels {
    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        throw new UnsupportedOperationException("RefLayout.permute: not implemented yet");
    }

    @Override
    public void readSlice(Tensor x, int axis, int start, Tensor out) {
        throw new UnsupportedOperationException("RefLayout.readSlice: not implemented yet");
    }

    @Override
    public void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate) {
        throw new UnsupportedOperationException("RefLayout.writeSlice: not implemented yet");
    }

    @Override
    public void gatherRows(Tensor table, int[] idx, Tensor out) {
        throw new UnsupportedOperationException("RefLayout.gatherRows: not implemented yet");
    }

    @Override
    public void scatterAddRows(Tensor src, int[] idx, Tensor table) {
        throw new UnsupportedOperationException("RefLayout.scatterAddRows: not implemented yet");
    }
}
