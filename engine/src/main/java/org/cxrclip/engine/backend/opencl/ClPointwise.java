package org.cxrclip.engine.backend.opencl;

import java.util.Arrays;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.PointwiseKernels;
import org.cxrclip.engine.backend.UnaryOp;
import org.jocl.cl_mem;

/** Element-wise kernels of {@code pointwise.cl}; broadcast strides are computed here and passed as int arrays. */
final class ClPointwise implements PointwiseKernels {
    private static final String F = "pointwise";
    private static final long[] LOCAL = {256};

    private final ClContext cl;

    ClPointwise(ClContext cl) {
        this.cl = cl;
    }

    private static long[] global(int n) {
        return new long[] {n};
    }

    @Override
    public void unary(UnaryOp op, float p0, float p1, Tensor x, Tensor out) {
        int n = out.numel();
        cl.launch(F, "unary", global(n), LOCAL, op.ordinal(), p0, p1, x, out, n);
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        int n = gradIn.numel();
        cl.launch(F, "unary_backward", global(n), LOCAL, op.ordinal(), p0, p1, x, y, gradOut, gradIn, n);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.shape();
        int r = shape.length, n = out.numel();
        int[] meta = concat(shape, Shape.broadcastStrides(a.shape(), r), Shape.broadcastStrides(b.shape(), r));
        int fullA = Arrays.equals(a.shape(), shape) ? 1 : 0, fullB = Arrays.equals(b.shape(), shape) ? 1 : 0;
        cl.launch(F, "binary", global(n), LOCAL, op.ordinal(), a, b, out, n, r, meta, fullA, fullB);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.shape();
        int r = shape.length, n = out.numel();
        int[] meta = concat(shape, Shape.broadcastStrides(cond.shape(), r), Shape.broadcastStrides(a.shape(), r),
                Shape.broadcastStrides(b.shape(), r));
        cl.launch(F, "where_select", global(n), LOCAL, cond, a, b, out, n, r, meta);
    }

    @Override
    public void sumTo(Tensor x, Tensor out) {
        int[] xs = x.shape();
        int r = xs.length;
        int[] so = Shape.broadcastStrides(out.shape(), r), xstr = Shape.strides(xs);
        // Kept axes index the output row-major; reduced axes (broadcast in out, size > 1 in x) are summed.
        int[] kept = new int[2 * r], reduced = new int[2 * r];
        int nk = 0, nr = 0, count = 1;
        for (int d = 0; d < r; d++) {
            if (xs[d] == 1) continue;
            if (so[d] != 0) {
                kept[2 * nk] = xs[d];
                kept[2 * nk++ + 1] = xstr[d];
            } else {
                reduced[2 * nr] = xs[d];
                reduced[2 * nr++ + 1] = xstr[d];
                count *= xs[d];
            }
        }
        int n = out.numel();
        if (x.numel() == 0) {
            fill(out, 0f);
            return;
        }
        cl.launch(F, "sum_to", global(n), LOCAL, x, out, n, nk, kept, nr, count, reduced);
    }

    @Override
    public void expand(Tensor x, Tensor out) {
        int[] shape = out.shape();
        int r = shape.length, n = out.numel();
        cl.launch(F, "expand", global(n), LOCAL, x, out, n, r, concat(shape, Shape.broadcastStrides(x.shape(), r)));
    }

    @Override
    public void fill(Tensor out, float value) {
        cl.fill(ClStorage.mem(out), out.offset(), out.numel(), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        int n = dst.numel();
        cl_mem s = ClStorage.mem(src), d = ClStorage.mem(dst);
        boolean overlap = s == d && src.offset() < dst.offset() + n && dst.offset() < src.offset() + n;
        if (!overlap) {
            cl.copy(s, src.offset(), d, dst.offset(), n);
            return;
        }
        if (src.offset() == dst.offset()) return;
        // clEnqueueCopyBuffer forbids overlapping ranges: stage through a temporary buffer.
        cl_mem tmp = cl.pool.acquire(n);
        cl.copy(s, src.offset(), tmp, 0, n);
        cl.copy(tmp, 0, d, dst.offset(), n);
        cl.pool.giveBack(tmp, Math.max(1, n));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        int n = y.numel();
        cl.launch(F, "axpy", global(n), LOCAL, alpha, x, y, n);
    }

    @Override
    public void dropoutMask(long seed, float p, Tensor out) {
        int n = out.numel();
        cl.launch(F, "dropout_mask", global(n), LOCAL, seed, p, 1f / (1f - p), out, n);
    }

    static int[] concat(int[]... parts) {
        int len = 0;
        for (int[] p : parts) len += p.length;
        int[] out = new int[len];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
