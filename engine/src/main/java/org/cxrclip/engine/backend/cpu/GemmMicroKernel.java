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
     * c[0..MR, 0..NR] = alpha · ap · bp + beta · c (beta = 0 never reads c).
     * ap (kc, MR) at apOff; bp (kc, NR) at bpOff; c rows at cOff + r·ldc, each NR floats in bounds.
     */
    static void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff,
                     float[] c, int cOff, int ldc, float alpha, float beta) {
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
        int o = cOff;
        store(c00, c, o, alpha, beta);
        store(c01, c, o + L, alpha, beta);
        o += ldc;
        store(c10, c, o, alpha, beta);
        store(c11, c, o + L, alpha, beta);
        o += ldc;
        store(c20, c, o, alpha, beta);
        store(c21, c, o + L, alpha, beta);
        o += ldc;
        store(c30, c, o, alpha, beta);
        store(c31, c, o + L, alpha, beta);
        o += ldc;
        store(c40, c, o, alpha, beta);
        store(c41, c, o + L, alpha, beta);
        o += ldc;
        store(c50, c, o, alpha, beta);
        store(c51, c, o + L, alpha, beta);
        o += ldc;
        store(c60, c, o, alpha, beta);
        store(c61, c, o + L, alpha, beta);
        o += ldc;
        store(c70, c, o, alpha, beta);
        store(c71, c, o + L, alpha, beta);
    }

    /** c[off .. off+L) = alpha · acc + beta · c (small so it inlines into {@link #tile}). */
    private static void store(FloatVector acc, float[] c, int off, float alpha, float beta) {
        FloatVector v = alpha == 1f ? acc : acc.mul(alpha);
        if (beta != 0f) v = FloatVector.fromArray(S, c, off).mul(beta).add(v);
        v.intoArray(c, off);
    }
}
