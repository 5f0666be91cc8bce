package org.cxrclip.engine.backend.opencl;

import java.util.Arrays;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.LayoutKernels;

/**
 * Data movement of {@code layout.cl}. Permutation tables are launch tables (kept on the device); row indices are
 * per-call data ({@link ClContext.Indices}), uploaded at each gather and scatter.
 */
final class ClLayout implements LayoutKernels {
    private static final String F = "layout";
    private static final long[] LOCAL = {256};

    private final ClContext cl;

    ClLayout(ClContext cl) {
        this.cl = cl;
    }

    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        int[] oshape = out.shape(), xstr = Shape.strides(x.shape());
        int[] src = new int[perm.length];
        for (int i = 0; i < perm.length; i++) src[i] = xstr[perm[i]];
        int n = out.numel();
        cl.launch(F, "permute", new long[] {n}, LOCAL, x, out, n, perm.length, ClPointwise.concat(oshape, src));
    }

    @Override
    public void readSlice(Tensor x, int axis, int start, Tensor out) {
        int[] xs = x.shape(), os = out.shape();
        int outer = Shape.prod(os, 0, axis), inner = Shape.prod(os, axis + 1, os.length);
        cl.launch(F, "read_slice", new long[] {out.numel()}, LOCAL, x, out, outer, os[axis], xs[axis], start, inner);
    }

    @Override
    public void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate) {
        int[] ss = src.shape(), ds = dst.shape();
        int outer = Shape.prod(ss, 0, axis), inner = Shape.prod(ss, axis + 1, ss.length);
        cl.launch(F, "write_slice", new long[] {src.numel()}, LOCAL, src, dst, outer, ss[axis], ds[axis], start,
                inner, accumulate ? 1 : 0);
    }

    @Override
    public void gatherRows(Tensor table, int[] idx, Tensor out) {
        int d = table.dim(1);
        cl.launch(F, "gather_rows", new long[] {(long) idx.length * d}, LOCAL, table, new ClContext.Indices(idx), out,
                idx.length, d);
    }

    @Override
    public void scatterAddRows(Tensor src, int[] idx, Tensor table) {
        int d = table.dim(1), n = idx.length;
        if (n == 0 || d == 0) return;
        // Group source rows by destination row (a stable sort keeps repeated indices in their order).
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Integer.compare(idx[p], idx[q]));
        // One upload: rows (u) | from (u + 1) | order (n), with u distinct rows.
        int u = 0;
        for (int p = 0; p < n; p++) if (p == 0 || idx[order[p]] != idx[order[p - 1]]) u++;
        int[] plan = new int[2 * u + 1 + n];
        int row = 0;
        for (int p = 0; p < n; p++) {
            plan[2 * u + 1 + p] = order[p];
            if (p == 0 || idx[order[p]] != idx[order[p - 1]]) {
                plan[row] = idx[order[p]];
                plan[u + row++] = p;
            }
        }
        plan[2 * u] = n;
        cl.launch(F, "scatter_add_rows", new long[] {(long) u * d}, LOCAL, src, table, new ClContext.Indices(plan), u, d);
    }
}
