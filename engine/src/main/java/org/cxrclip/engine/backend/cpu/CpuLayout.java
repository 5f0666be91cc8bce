package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.LayoutKernels;

/**
 * Data movement with contiguous runs where the layout allows: slices and gathers copy whole rows
 * ({@code System.arraycopy}), a permutation that keeps the last axis copies runs of it, one that swaps the two
 * innermost axes is transposed in cache-sized tiles, anything else is a strided gather.
 */
final class CpuLayout implements LayoutKernels {
    private static final int GRAIN = CpuPointwise.GRAIN;
    private static final int TILE = 32;

    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        if (out.numel() == 0) return;
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset(), oo = out.offset();
        int[] oshape = out.shape(), xstr = Shape.strides(x.shape());
        // merged out axes (size-1 dropped) and the x stride of each
        int[] dims = new int[Math.max(1, perm.length)], src = new int[Math.max(1, perm.length)];
        int m = 0;
        for (int a = 0; a < perm.length; a++) {
            if (oshape[a] == 1) continue;
            int st = xstr[perm[a]];
            if (m > 0 && src[m - 1] == st * oshape[a]) {
                dims[m - 1] *= oshape[a];
                src[m - 1] = st;
            } else {
                dims[m] = oshape[a];
                src[m++] = st;
            }
        }
        if (m == 0) {
            os[oo] = xs[xo];
            return;
        }
        final int k = m; // merged axis count
        if (src[k - 1] == 1) { // runs of the inner axis are contiguous in x
            int run = dims[k - 1], rows = out.numel() / run;
            Parallel.forRange(rows, Math.max(1, GRAIN / run), (r0, r1) -> {
                for (int r = r0; r < r1; r++) System.arraycopy(xs, xo + offset(r, dims, src, k - 1), os, oo + r * run, run);
            });
        } else if (k >= 2 && src[k - 2] == 1) { // swap of the two inner axes: out (P, Q) reads x (Q, P)
            int p = dims[k - 2], q = dims[k - 1], sq = src[k - 1], mats = out.numel() / (p * q);
            Parallel.forRange(mats, Math.max(1, GRAIN / (p * q)), (r0, r1) -> {
                for (int r = r0; r < r1; r++) transpose(xs, xo + offset(r, dims, src, k - 2), sq, os, oo + r * p * q, p, q);
            });
        } else {
            int run = dims[k - 1], st = src[k - 1], rows = out.numel() / run;
            Parallel.forRange(rows, Math.max(1, GRAIN / run), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int s0 = xo + offset(r, dims, src, k - 1), o0 = oo + r * run;
                    for (int i = 0; i < run; i++) os[o0 + i] = xs[s0 + i * st];
                }
            });
        }
    }

    /** x offset of outer index {@code r} over the first {@code axes} merged axes. */
    private static int offset(int r, int[] dims, int[] src, int axes) {
        int off = 0;
        for (int a = axes - 1; a >= 0; a--) {
            off += (r % dims[a]) * src[a];
            r /= dims[a];
        }
        return off;
    }

    // o (p, q) = x[i + j·sq] for i < p, j < q: x holds the transpose with row stride sq
    private static void transpose(float[] x, int xo, int sq, float[] o, int oo, int p, int q) {
        for (int i0 = 0; i0 < p; i0 += TILE)
            for (int j0 = 0; j0 < q; j0 += TILE) {
                int i1 = Math.min(p, i0 + TILE), j1 = Math.min(q, j0 + TILE);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++) o[oo + i * q + j] = x[xo + i + j * sq];
            }
    }

    @Override
    public void readSlice(Tensor x, int axis, int start, Tensor out) {
        int[] xsh = x.shape(), osh = out.shape();
        int outer = Shape.prod(osh, 0, axis), inner = Shape.prod(osh, axis + 1, osh.length);
        int run = osh[axis] * inner, xrow = xsh[axis] * inner;
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int xo = x.offset() + start * inner, oo = out.offset();
        if (run == 0) return;
        Parallel.forRange(outer, Math.max(1, GRAIN / run), (r0, r1) -> {
            for (int r = r0; r < r1; r++) System.arraycopy(xs, xo + r * xrow, os, oo + r * run, run);
        });
    }

    @Override
    public void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate) {
        int[] ssh = src.shape(), dsh = dst.shape();
        int outer = Shape.prod(ssh, 0, axis), inner = Shape.prod(ssh, axis + 1, ssh.length);
        int run = ssh[axis] * inner, drow = dsh[axis] * inner;
        float[] ss = HostStorage.array(src), ds = HostStorage.array(dst);
        int so = src.offset(), d0 = dst.offset() + start * inner;
        if (run == 0) return;
        Parallel.forRange(outer, Math.max(1, GRAIN / run), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (accumulate) VectorLoops.addInto(ss, so + r * run, ds, d0 + r * drow, run);
                else System.arraycopy(ss, so + r * run, ds, d0 + r * drow, run);
            }
        });
    }

    @Override
    public void gatherRows(Tensor table, int[] idx, Tensor out) {
        int d = table.dim(1);
        float[] ts = HostStorage.array(table), os = HostStorage.array(out);
        int to = table.offset(), oo = out.offset();
        if (d == 0) return;
        Parallel.forRange(idx.length, Math.max(1, GRAIN / d), (i0, i1) -> {
            for (int i = i0; i < i1; i++) System.arraycopy(ts, to + idx[i] * d, os, oo + i * d, d);
        });
    }

    /** Repeated indices write the same row, so threads split the columns, never the indices. */
    @Override
    public void scatterAddRows(Tensor src, int[] idx, Tensor table) {
        int d = table.dim(1);
        float[] ss = HostStorage.array(src), ts = HostStorage.array(table);
        int so = src.offset(), to = table.offset();
        if (d == 0) return;
        Parallel.forRange(d, Math.max(256, GRAIN / Math.max(1, idx.length)), (c0, c1) -> {
            for (int i = 0; i < idx.length; i++) VectorLoops.addInto(ss, so + i * d + c0, ts, to + idx[i] * d + c0, c1 - c0);
        });
    }
}
