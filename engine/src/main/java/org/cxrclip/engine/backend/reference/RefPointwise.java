package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.PointwiseKernels;
import org.cxrclip.engine.backend.UnaryOp;

/**
 * Element-wise kernels, one scalar loop each, in double where it matters. Broadcasting is done the slow,
 * obvious way: every output element computes each operand's offset from its multi-index.
 */
final class RefPointwise implements PointwiseKernels {
    @Override
    public void unary(UnaryOp op, float p0, float p1, Tensor x, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset(), n = out.numel();
        for (int i = 0; i < n; i++) os[oo + i] = (float) UnaryMath.forward(op, xs[xo + i], p0, p1);
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        float[] xs = HostStorage.array(x), ys = HostStorage.array(y);
        float[] gs = HostStorage.array(gradOut), gi = HostStorage.array(gradIn);
        int n = gradIn.numel();
        for (int i = 0; i < n; i++) {
            double d = UnaryMath.derivative(op, xs[x.offset() + i], ys[y.offset() + i], p0, p1);
            gi[gradIn.offset() + i] = (float) (gs[gradOut.offset() + i] * d);
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] as = HostStorage.array(a), bs = HostStorage.array(b), os = HostStorage.array(out);
        int[] shape = out.shape();
        int[] sa = Shape.broadcastStrides(a.shape(), shape.length), sb = Shape.broadcastStrides(b.shape(), shape.length);
        for (int i = 0; i < out.numel(); i++) {
            double x = as[a.offset() + offsetOf(i, shape, sa)], y = bs[b.offset() + offsetOf(i, shape, sb)];
            double r = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
            };
            os[out.offset() + i] = (float) r;
        }
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        float[] cs = HostStorage.array(cond), as = HostStorage.array(a), bs = HostStorage.array(b);
        float[] os = HostStorage.array(out);
        int[] shape = out.shape();
        int r = shape.length;
        int[] sc = Shape.broadcastStrides(cond.shape(), r), sa = Shape.broadcastStrides(a.shape(), r);
        int[] sb = Shape.broadcastStrides(b.shape(), r);
        for (int i = 0; i < out.numel(); i++) {
            boolean c = cs[cond.offset() + offsetOf(i, shape, sc)] != 0;
            os[out.offset() + i] = c ? as[a.offset() + offsetOf(i, shape, sa)] : bs[b.offset() + offsetOf(i, shape, sb)];
        }
    }

    @Override
    public void sumTo(Tensor x, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int[] shape = x.shape();
        int[] so = Shape.broadcastStrides(out.shape(), shape.length);
        double[] acc = new double[out.numel()];
        for (int i = 0; i < x.numel(); i++) acc[offsetOf(i, shape, so)] += xs[x.offset() + i];
        for (int j = 0; j < acc.length; j++) os[out.offset() + j] = (float) acc[j];
    }

    @Override
    public void expand(Tensor x, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int[] shape = out.shape();
        int[] sx = Shape.broadcastStrides(x.shape(), shape.length);
        for (int i = 0; i < out.numel(); i++) os[out.offset() + i] = xs[x.offset() + offsetOf(i, shape, sx)];
    }

    @Override
    public void fill(Tensor out, float value) {
        float[] os = HostStorage.array(out);
        for (int i = 0; i < out.numel(); i++) os[out.offset() + i] = value;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(HostStorage.array(src), src.offset(), HostStorage.array(dst), dst.offset(), dst.numel());
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        float[] xs = HostStorage.array(x), ys = HostStorage.array(y);
        for (int i = 0; i < y.numel(); i++) ys[y.offset() + i] += alpha * xs[x.offset() + i];
    }

    @Override
    public void dropoutMask(long seed, float p, Tensor out) {
        float[] os = HostStorage.array(out);
        float keep = 1f / (1f - p);
        for (int i = 0; i < out.numel(); i++) os[out.offset() + i] = Rng.uniform(seed, i) >= p ? keep : 0f;
    }

    /** Offset of the operand element that output element {@code flat} (row-major over {@code shape}) reads. */
    static int offsetOf(int flat, int[] shape, int[] strides) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (flat % shape[d]) * strides[d];
            flat /= shape[d];
        }
        return off;
    }
}
