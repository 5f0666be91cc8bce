package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.LayoutKernels;

/** Data movement by per-element index arithmetic. */
final class RefLayout implements LayoutKernels {
    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        float[] xs = HostStorage.array(x), os = HostStorage.array(out);
        int[] oshape = out.shape(), xstr = Shape.strides(x.shape());
        int[] src = new int[perm.length]; // stride in x of each out axis
        for (int i = 0; i < perm.length; i++) src[i] = xstr[perm[i]];
        for (int i = 0; i < out.numel(); i++) os[out.offset() + i] = xs[x.offset() + RefPointwise.offsetOf(i, oshape, src)];
    }

    @Override
    public void readSlice(Tensor x, int axis, int start, Tensor out) {
        int[] xs = x.shape(), os = out.shape();
        int outer = Shape.prod(os, 0, axis), inner = Shape.prod(os, axis + 1, os.length);
        float[] xa = HostStorage.array(x), oa = HostStorage.array(out);
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < os[axis]; k++)
                for (int j = 0; j < inner; j++)
                    oa[out.offset() + (o * os[axis] + k) * inner + j] = xa[x.offset() + (o * xs[axis] + start + k) * inner + j];
    }

    @Override
    public void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate) {
        int[] ss = src.shape(), ds = dst.shape();
        int outer = Shape.prod(ss, 0, axis), inner = Shape.prod(ss, axis + 1, ss.length);
        float[] sa = HostStorage.array(src), da = HostStorage.array(dst);
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < ss[axis]; k++)
                for (int j = 0; j < inner; j++) {
                    int d = dst.offset() + (o * ds[axis] + start + k) * inner + j;
                    float v = sa[src.offset() + (o * ss[axis] + k) * inner + j];
                    da[d] = accumulate ? da[d] + v : v;
                }
    }

    @Override
    public void gatherRows(Tensor table, int[] idx, Tensor out) {
        int d = table.dim(1);
        float[] ta = HostStorage.array(table), oa = HostStorage.array(out);
        for (int i = 0; i < idx.length; i++)
            for (int j = 0; j < d; j++) oa[out.offset() + i * d + j] = ta[table.offset() + idx[i] * d + j];
    }

    @Override
    public void scatterAddRows(Tensor src, int[] idx, Tensor table) {
        int d = table.dim(1);
        float[] sa = HostStorage.array(src), ta = HostStorage.array(table);
        for (int i = 0; i < idx.length; i++)
            for (int j = 0; j < d; j++) ta[table.offset() + idx[i] * d + j] += sa[src.offset() + i * d + j];
    }
}
