package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.BinaryOp;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.PointwiseKernels;
import org.cxrclip.engine.backend.UnaryOp;

/**
 * Element-wise kernels: SIMD runs ({@link VectorLoops}, {@link UnaryLoops}) over the contiguous inner axis
 * of a {@link BroadcastPlan}, split over the cores in chunks of at least {@link #GRAIN} elements. Results do
 * not depend on the thread count: every element is computed by the same code whatever the split.
 */
final class CpuPointwise implements PointwiseKernels {
    /** Elements per parallel chunk: below this a second thread costs more than it saves. */
    static final int GRAIN = 1 << 14;

    @Override
    public void unary(UnaryOp op, float p0, float p1, Tensor x, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset();
        // transcendental functions cost ~10× a load, so they split into smaller chunks
        int grain = op == UnaryOp.GELU_ERF || op == UnaryOp.POW ? GRAIN / 8 : GRAIN;
        Parallel.forRange(out.numel(), grain, (s, e) -> UnaryLoops.forward(op, p0, p1, xs, xo + s, os, oo + s, e - s));
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        float[] xs = HostStorage.array(x), ys = HostStorage.array(y);
        float[] gs = HostStorage.array(gradOut), gi = HostStorage.array(gradIn);
        int xo = x.offset(), yo = y.offset(), go = gradOut.offset(), io = gradIn.offset();
        int grain = op == UnaryOp.GELU_ERF || op == UnaryOp.POW ? GRAIN / 8 : GRAIN;
        Parallel.forRange(gradIn.numel(), grain,
                (s, e) -> UnaryLoops.backward(op, p0, p1, xs, xo + s, ys, yo + s, gs, go + s, gi, io + s, e - s));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        float[] as = HostStorage.array(a), bs = HostStorage.array(b), os = HostStorage.array(out);
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        BroadcastPlan p = new BroadcastPlan(out.shape(), a.shape(), b.shape());
        int sa = p.innerStride(0), sb = p.innerStride(1), m = p.inner;
        if (p.rows == 1) {
            Parallel.forRange(m, GRAIN, (s, e) ->
                    VectorLoops.binary(op, as, ao + s * sa, sa, bs, bo + s * sb, sb, os, oo + s, e - s));
            return;
        }
        Parallel.forRange(p.rows, Math.max(1, GRAIN / m), (r0, r1) -> {
            for (int r = r0; r < r1; r++)
                VectorLoops.binary(op, as, ao + p.rowOffset(0, r), sa, bs, bo + p.rowOffset(1, r), sb, os, oo + r * m, m);
        });
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        float[] cs = HostStorage.array(cond), as = HostStorage.array(a), bs = HostStorage.array(b);
        float[] os = HostStorage.array(out);
        BroadcastPlan p = new BroadcastPlan(out.shape(), cond.shape(), a.shape(), b.shape());
        int sc = p.innerStride(0), sa = p.innerStride(1), sb = p.innerStride(2), m = p.inner;
        Parallel.forRange(p.rows, Math.max(1, GRAIN / m), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int c0 = cond.offset() + p.rowOffset(0, r), a0 = a.offset() + p.rowOffset(1, r);
                int b0 = b.offset() + p.rowOffset(2, r), o0 = out.offset() + r * m;
                for (int i = 0; i < m; i++) os[o0 + i] = cs[c0 + i * sc] != 0 ? as[a0 + i * sa] : bs[b0 + i * sb];
            }
        });
    }

    /**
     * Three shapes of work: inner axis kept (columns of out are disjoint, so threads split the columns and each
     * adds every row of its columns in order), inner axis summed with distinct out elements per row (threads
     * split rows), otherwise one thread in row order. Every out element is summed in the same order whatever the
     * thread count.
     */
    @Override
    public void sumTo(Tensor x, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset();
        VectorLoops.fill(os, oo, out.numel(), 0f);
        if (x.numel() == 0) return;
        BroadcastPlan p = new BroadcastPlan(x.shape(), x.shape(), out.shape());
        int m = p.inner;
        if (p.innerStride(1) == 1) {
            Parallel.forRange(m, Math.max(256, GRAIN / Math.max(1, p.rows)), (c0, c1) -> {
                for (int r = 0; r < p.rows; r++)
                    VectorLoops.addInto(xs, xo + r * m + c0, os, oo + p.rowOffset(1, r) + c0, c1 - c0);
            });
        } else if (p.outerInjective(1)) {
            Parallel.forRange(p.rows, Math.max(1, GRAIN / m), (r0, r1) -> {
                for (int r = r0; r < r1; r++) os[oo + p.rowOffset(1, r)] = VectorLoops.sum(xs, xo + r * m, m);
            });
        } else {
            for (int r = 0; r < p.rows; r++) os[oo + p.rowOffset(1, r)] += VectorLoops.sum(xs, xo + r * m, m);
        }
    }

    @Override
    public void expand(Tensor x, Tensor out) {
        if (out.numel() == 0) return;
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset();
        BroadcastPlan p = new BroadcastPlan(out.shape(), x.shape());
        int m = p.inner;
        boolean run = p.innerStride(0) == 1;
        Parallel.forRange(p.rows, Math.max(1, GRAIN / m), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int src = xo + p.rowOffset(0, r);
                if (run) System.arraycopy(xs, src, os, oo + r * m, m);
                else VectorLoops.fill(os, oo + r * m, m, xs[src]);
            }
        });
    }

    @Override
    public void fill(Tensor out, float value) {
        float[] os = HostStorage.array(out);
        int oo = out.offset();
        Parallel.forRange(out.numel(), 4 * GRAIN, (s, e) -> VectorLoops.fill(os, oo + s, e - s, value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        float[] ss = HostStorage.array(src), ds = HostStorage.array(dst);
        int so = src.offset(), d0 = dst.offset();
        Parallel.forRange(dst.numel(), 4 * GRAIN, (s, e) -> System.arraycopy(ss, so + s, ds, d0 + s, e - s));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        float[] xs = HostStorage.array(x), ys = HostStorage.array(y);
        int xo = x.offset(), yo = y.offset();
        if (alpha == 1f) Parallel.forRange(y.numel(), GRAIN, (s, e) -> VectorLoops.addInto(xs, xo + s, ys, yo + s, e - s));
        else Parallel.forRange(y.numel(), GRAIN, (s, e) -> VectorLoops.axpy(alpha, xs, xo + s, ys, yo + s, e - s));
    }

    @Override
    public void dropoutMask(long seed, float p, Tensor out) {
        float[] os = HostStorage.array(out);
        int oo = out.offset();
        float keep = 1f / (1f - p);
        Parallel.forRange(out.numel(), GRAIN / 4, (s, e) -> {
            for (int i = s; i < e; i++) os[oo + i] = Rng.uniform(seed, i) >= p ? keep : 0f;
        });
    }
}
