package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.Shape;

/**
 * Index arithmetic for broadcasting, simplified once per call so the inner loop is a contiguous run: size-1
 * axes are dropped and neighbouring axes merged wherever every operand steps through them uniformly (both
 * contiguous, or both broadcast). A same-shape op becomes one axis, a bias add (R, C) + (C) two axes with the
 * bias at stride 0 along R, a per-row scale (R, C) · (R, 1) two axes with the scale at stride 0 along C.
 * After merging, every operand's stride along the innermost axis is 1 or 0.
 */
final class BroadcastPlan {
    /** Sizes of the merged axes; the last is the inner run. Never empty. */
    final int[] dims;
    /** strides[k][axis]: element stride of operand k along each merged axis (0 where broadcast). */
    final int[][] strides;
    final int inner;
    final int rows;

    /** Operands given by their shapes, each broadcastable to {@code target}. */
    BroadcastPlan(int[] target, int[]... operands) {
        int rank = target.length, k = operands.length;
        int[][] full = new int[k][];
        for (int j = 0; j < k; j++) full[j] = Shape.broadcastStrides(operands[j], rank);
        int[] d = new int[Math.max(rank, 1)];
        int[][] st = new int[k][Math.max(rank, 1)];
        int m = 0;
        for (int a = 0; a < rank; a++) {
            if (target[a] == 1) continue;
            boolean merge = m > 0;
            for (int j = 0; j < k && merge; j++) merge = st[j][m - 1] == full[j][a] * target[a];
            if (merge) {
                d[m - 1] *= target[a];
                for (int j = 0; j < k; j++) st[j][m - 1] = full[j][a];
            } else {
                d[m] = target[a];
                for (int j = 0; j < k; j++) st[j][m] = full[j][a];
                m++;
            }
        }
        if (m == 0) { // every axis has size 1: one element
            d[0] = 1;
            m = 1;
        }
        dims = java.util.Arrays.copyOf(d, m);
        strides = new int[k][];
        for (int j = 0; j < k; j++) strides[j] = java.util.Arrays.copyOf(st[j], m);
        inner = dims[m - 1];
        rows = Shape.numel(target) / Math.max(inner, 1);
    }

    /** Stride of operand k along the inner run: 1 or 0. */
    int innerStride(int k) {
        return strides[k][dims.length - 1];
    }

    /** Offset of operand k at the start of inner run {@code row} (row-major over the outer axes). */
    int rowOffset(int k, int row) {
        int[] s = strides[k];
        int off = 0;
        for (int a = dims.length - 2; a >= 0; a--) {
            off += (row % dims[a]) * s[a];
            row /= dims[a];
        }
        return off;
    }

    /** True if no two rows of operand k start at the same offset with a broadcast outer axis (stride 0). */
    boolean outerInjective(int k) {
        for (int a = 0; a < dims.length - 1; a++) if (strides[k][a] == 0) return false;
        return true;
    }
}
