package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** Data movement: permutations, slices along an axis, row gathers. */
public interface LayoutKernels {
    /** out = x with axes permuted: out.shape[i] = x.shape[perm[i]]. */
    void permute(Tensor x, int[] perm, Tensor out);

    /** out = x[..., start : start + out.shape[axis], ...] along {@code axis}. */
    void readSlice(Tensor x, int axis, int start, Tensor out);

    /** dst[..., start : start + src.shape[axis], ...] (= or +=) src along {@code axis}. */
    void writeSlice(Tensor src, int axis, int start, Tensor dst, boolean accumulate);

    /** out[i, :] = table[idx[i], :]; table (V, D), out (N, D); indices checked by the op layer. */
    void gatherRows(Tensor table, int[] idx, Tensor out);

    /** table[idx[i], :] += src[i, :]; src (N, D), table (V, D). Repeated indices accumulate. */
    void scatterAddRows(Tensor src, int[] idx, Tensor table);
}
