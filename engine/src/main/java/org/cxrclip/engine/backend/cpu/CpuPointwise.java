package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.PointwiseKernels;
import org.cxrclip.engine.backend.UnaryOp;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class CpuPointwise implements PointwiseKernels {
    @Override
    public void unary(UnaryOp op, float p0, float p1, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.unary: not implemented yet");
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        throw new UnsupportedOperationException("CpuPointwise.unaryBackward: not implemented yet");
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.binary: not implemented yet");
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.where: not implemented yet");
    }

    @Override
    public void sumTo(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.sumTo: not implemented yet");
    }

    @Override
    public void expand(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.expand: not implemented yet");
    }

    @Override
    public void fill(Tensor out, float value) {
        throw new UnsupportedOperationException("CpuPointwise.fill: not implemented yet");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        throw new UnsupportedOperationException("CpuPointwise.copy: not implemented yet");
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CpuPointwise.axpy: not implemented yet");
    }

    @Override
    public void dropoutMask(long seed, float p, Tensor out) {
        throw new UnsupportedOperationException("CpuPointwise.dropoutMask: not implemented yet");
    }
}
