package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of the packed GEMM: one MR × NR tile of C (8 rows × two vectors) from an A
 * sliver (kc, MR) and a B sliver (kc, NR), both packed so each k step reads consecutive memory. Sixteen
 * accumulators stay in registers; per k step it loads two B vectors and broadcasts eight A values (16 fma).
 * All vectors live inside this one method so C2 keeps them in registers instead of boxing them on the heap.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of a tile. */
    static final int MR = 8;
    /** Columns of a tile: two vectors, so 16 lanes give 32 and 8 lanes (AVX2) give 16. */
    static final int NR = 2 * L;

    private GemmMicroKernel() {}

    /**
     * acc (MR, NR) = ap · bp: ap (kc, MR) at apOff, bp (kc, NR) at bpOff. The accumulators go to a small
     * per-thread buffer rather than straight into C: sixteen inlined read-modify-write stores push C2 past its
     * inlining node budget (NodeCountInliningCutoff), and a store left out of line boxes its vector on the
     * heap (~2 KB per tile). {@link #storeTile} then applies alpha and beta.
     */
    static void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int pa = apOff, pb = bpOff;
        for (int p = 0; p < kc; p++, pa += MR, pb += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[pa]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[pa + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[pa + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[pa + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[pa + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[pa + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[pa + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[pa + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + L);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + L);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + L);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + L);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + L);
        c60.intoArray(acc, 6 * NR);
        c61.intoArray(acc, 6 * NR + L);
        c70.intoArray(acc, 7 * NR);
        c71.intoArray(acc, 7 * NR + L);
    }

    /**
     * c[0..mr, 0..nr] = alpha · acc + beta · c, acc (MR, NR) from {@link #tile}; beta = 0 never reads c.
     * c rows start at cOff + r·ldc.
     */
    static void storeTile(float[] acc, int mr, int nr, float[] c, int cOff, int ldc, float alpha, float beta) {
        for (int r = 0; r < mr; r++) {
            int co = cOff + r * ldc, ao = r * NR;
            int j = 0;
            if (nr == NR) for (; j < NR; j += L) storeVector(acc, ao + j, c, co + j, alpha, beta);
            for (; j < nr; j++) c[co + j] = beta == 0f ? alpha * acc[ao + j] : alpha * acc[ao + j] + beta * c[co + j];
        }
    }

    private static void storeVector(float[] acc, int ao, float[] c, int co, float alpha, float beta) {
        FloatVector v = FloatVector.fromArray(S, acc, ao).mul(alpha);
        if (beta != 0f) v = FloatVector.fromArray(S, c, co).mul(beta).add(v);
        v.intoArray(c, co);
    }
}
