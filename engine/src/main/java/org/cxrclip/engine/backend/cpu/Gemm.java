package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.MR;
import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.NR;

import org.cxrclip.engine.Parallel;

/**
 * Goto-style single-precision GEMM over plain arrays: c = alpha · op(a) · op(b) + beta · c.
 *
 * <p>Loop nest (per thread): NC-wide column blocks of C; KC-deep slices of k, for which a (KC, NC) block of
 * op(B) is packed once; MC-tall row blocks, for which a (MC, KC) block of op(A) is packed into L2; then the
 * MR × NR micro-kernel sweeps the block. KC = 384, MC = 96, NC = 1024 are what measured fastest on the
 * 2-core AVX-512 machines (PERF.md; KC = 128 lost ~20 %). Threads split the rows of C (or its columns when C
 * is short and wide); each packs its own B block, which costs ~1/(rows per thread) of its arithmetic.
 * Packing buffers are per thread and reused, so a call allocates nothing once warm.
 */
final class Gemm {
    static final int KC = 384, MC = 96, NC = 1024;
    /** Below this many multiply-adds packing costs more than it saves: plain loops. */
    static final long SMALL = 32 * 1024;
    /**
     * Below this many multiply-adds per thread (~10 µs at ~100 GMAC/s), another thread costs more in fork and
     * join than it saves.
     */
    static final long MIN_WORK_PER_THREAD = 1024 * 1024;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** One thread's packing space: op(A) block (MC, KC), op(B) block (KC, NC), one edge tile (MR, NR). */
    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private Gemm() {}

    /**
     * c = alpha · op(a) · op(b) + beta · c on {@link Parallel#threads()} threads. op(a) is (m, k): a is (m, k)
     * with row stride lda, or (k, m) if transA; op(b) is (k, n): b is (k, n) with row stride ldb, or (n, k) if
     * transB; c is (m, n) with row stride ldc. beta = 0 never reads c.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        long work = (long) m * n * k;
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, work / MIN_WORK_PER_THREAD));
        if (chunks <= 1 || k == 0 || alpha == 0f) {
            gemmOneThread(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (m >= 4 * MR * chunks || m >= n) {
            int rows = roundUp((m + chunks - 1) / chunks, MR);
            Parallel.forChunks(chunks, t -> {
                int i0 = t * rows, i1 = Math.min(m, i0 + rows);
                if (i0 >= i1) return;
                int aSub = transA ? aOff + i0 : aOff + i0 * lda;
                gemmOneThread(transA, transB, i1 - i0, n, k, alpha, a, aSub, lda, b, bOff, ldb,
                        beta, c, cOff + i0 * ldc, ldc);
            });
        } else {
            int cols = roundUp((n + chunks - 1) / chunks, NR);
            Parallel.forChunks(chunks, t -> {
                int j0 = t * cols, j1 = Math.min(n, j0 + cols);
                if (j0 >= j1) return;
                int bSub = transB ? bOff + j0 * ldb : bOff + j0;
                gemmOneThread(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b, bSub, ldb,
                        beta, c, cOff + j0, ldc);
            });
        }
    }

    /** The same product on the calling thread only (for callers that already split the work). */
    static void gemmOneThread(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if ((long) m * n * k < SMALL) {
            small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Buffers buf = BUFFERS.get();
        // Equal k slices (k = 385 gives 193 + 192, not 384 + 1).
        int kBlocks = (k + KC - 1) / KC;
        int kStep = (k + kBlocks - 1) / kBlocks;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                float betaBlock = pc == 0 ? beta : 1f; // later k slices add onto the first
                GemmPack.packB(transB, b, bOff, ldb, pc, kc, jc, nc, buf.b);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPack.packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.a);
                    block(mc, nc, kc, buf, alpha, betaBlock, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Sweeps the micro-kernel over one packed (mc, kc) × (kc, nc) block into c (mc, nc). */
    private static void block(int mc, int nc, int kc, Buffers buf, float alpha, float beta,
                              float[] c, int cOff, int ldc) {
        float[] tile = buf.tile;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                GemmMicroKernel.tile(kc, buf.a, ir * kc, buf.b, jr * kc, tile);
                GemmMicroKernel.storeTile(tile, mr, nr, c, cOff + ir * ldc + jr, ldc, alpha, beta);
            }
        }
    }

    /** Plain loops with a float accumulator for products too small to pack. */
    private static void small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        int aI = transA ? 1 : lda, aP = transA ? lda : 1; // op(A)[i, p] = a[i·aI + p·aP]
        int bP = transB ? 1 : ldb, bJ = transB ? ldb : 1; // op(B)[p, j] = b[p·bP + j·bJ]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                int ai = aOff + i * aI, bj = bOff + j * bJ;
                for (int p = 0; p < k; p++) s += a[ai + p * aP] * b[bj + p * bP];
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    /** c = beta · c (c = 0 when beta = 0, whatever c held). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? 0f : beta * c[ci];
            }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
