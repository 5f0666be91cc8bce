package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.MR;
import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the panel layouts the micro-kernel streams through, resolving the
 * transpose flags here so callers never transpose. Rows or columns past the matrix edge are packed as zeros,
 * so edge tiles run the same full-size micro-kernel.
 */
final class GemmPack {
    private static final VectorSpecies<Float> S = GemmMicroKernel.S;
    private static final int L = GemmMicroKernel.L;
    /** One sliver row of A (MR floats) as one vector. */
    private static final VectorSpecies<Float> A_SPECIES = FloatVector.SPECIES_256;

    private GemmPack() {}

    /**
     * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into slivers of MR rows: sliver s holds, for each k step p,
     * the MR values op(A)[i0 + s·MR + r, p0 + p] at dst[s·kc·MR + p·MR + r]. Rows beyond mc are zero.
     * a is (m, k) with row stride lda, or (k, m) when transA.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        if (transA && MR == A_SPECIES.length()) {
            packATransposed(a, aOff, lda, i0, mc, p0, kc, dst);
            return;
        }
        int d = 0;
        for (int s = 0; s < mc; s += MR) {
            int rows = Math.min(MR, mc - s);
            if (transA) {
                // op(A)[i, p] = a[p·lda + i]: each k step is a contiguous run of rows.
                int src = aOff + p0 * lda + i0 + s;
                for (int p = 0; p < kc; p++, src += lda, d += MR) {
                    int r = 0;
                    for (; r < rows; r++) dst[d + r] = a[src + r];
                    for (; r < MR; r++) dst[d + r] = 0f;
                }
            } else {
                // op(A)[i, p] = a[i·lda + p]: walk MR rows side by side.
                int src = aOff + (i0 + s) * lda + p0;
                if (rows == MR) {
                    for (int p = 0; p < kc; p++, d += MR) {
                        int q = src + p;
                        dst[d] = a[q];
                        dst[d + 1] = a[q + lda];
                        dst[d + 2] = a[q + 2 * lda];
                        dst[d + 3] = a[q + 3 * lda];
                        dst[d + 4] = a[q + 4 * lda];
                        dst[d + 5] = a[q + 5 * lda];
                        dst[d + 6] = a[q + 6 * lda];
                        dst[d + 7] = a[q + 7 * lda];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += MR) {
                        int r = 0;
                        for (; r < rows; r++) dst[d + r] = a[src + r * lda + p];
                        for (; r < MR; r++) dst[d + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@link #packA} for transA, k step by k step: each step reads one contiguous run of mc values
     * a[(p0 + p)·lda + i0 ..] and deals it out MR at a time to the slivers. Walking sliver by sliver instead
     * reads MR floats per row at a stride of lda, which for lda a multiple of 4 KB keeps hitting the same L1
     * sets (the text tower's weight gradients ran at ~60 % of the other shapes' speed).
     */
    private static void packATransposed(float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        int full = mc / MR * MR, sliver = kc * MR;
        for (int p = 0; p < kc; p++) {
            int src = aOff + (p0 + p) * lda + i0, d = p * MR;
            int s = 0;
            for (; s < full; s += MR, d += sliver) copySliverStep(a, src + s, dst, d);
            if (s < mc) {
                int r = 0;
                for (; r < mc - s; r++) dst[d + r] = a[src + s + r];
                for (; r < MR; r++) dst[d + r] = 0f;
            }
        }
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into slivers of NR columns: sliver s holds, for each k step p,
     * the NR values op(B)[p0 + p, j0 + s·NR + j] at dst[dOff + s·kc·NR + p·NR + j]. Columns beyond nc are zero.
     * b is (k, n) with row stride ldb, or (n, k) when transB. Writes from dst[dOff] on.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] dst, int dOff) {
        int d = dOff;
        for (int s = 0; s < nc; s += NR) {
            int cols = Math.min(NR, nc - s);
            if (transB) {
                // op(B)[p, j] = b[j·ldb + p]: each column of the sliver is a contiguous run of k.
                int src = bOff + (j0 + s) * ldb + p0;
                for (int j = 0; j < cols; j++) {
                    int q = src + j * ldb, w = d + j;
                    for (int p = 0; p < kc; p++, w += NR) dst[w] = b[q + p];
                }
                for (int j = cols; j < NR; j++) {
                    int w = d + j;
                    for (int p = 0; p < kc; p++, w += NR) dst[w] = 0f;
                }
                d += kc * NR;
            } else {
                // op(B)[p, j] = b[p·ldb + j]: each k step copies a row segment with vector loads.
                int src = bOff + p0 * ldb + j0 + s;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, d += NR) copyRow(b, src, dst, d);
                } else {
                    VectorMask<Float> m0 = S.indexInRange(0, cols), m1 = S.indexInRange(L, cols);
                    for (int p = 0; p < kc; p++, src += ldb, d += NR) copyRowMasked(b, src, dst, d, m0, m1);
                }
            }
        }
    }

    /**
     * MR floats a[src ..] to dst[d ..] as one vector. Its own small method, as {@link #copyRow}: written inline in
     * the loop of {@link #packATransposed}, C2 left the vector boxed (one heap object per MR floats, ~2 GB of
     * garbage per ViT-B/32 training step at batch 32, JFR allocation samples).
     */
    private static void copySliverStep(float[] a, int src, float[] dst, int d) {
        FloatVector.fromArray(A_SPECIES, a, src).intoArray(dst, d);
    }

    private static void copyRow(float[] b, int src, float[] dst, int d) {
        FloatVector.fromArray(S, b, src).intoArray(dst, d);
        FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
    }

    /** Copies the in-range lanes and writes zeros in the others. */
    private static void copyRowMasked(float[] b, int src, float[] dst, int d, VectorMask<Float> m0, VectorMask<Float> m1) {
        FloatVector.fromArray(S, b, src, m0).intoArray(dst, d);
        FloatVector.fromArray(S, b, src + L, m1).intoArray(dst, d + L);
    }
}
