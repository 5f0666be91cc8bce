package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.MR;
import static org.cxrclip.engine.backend.cpu.GemmMicroKernel.NR;

import java.util.concurrent.atomic.AtomicInteger;
import org.cxrclip.engine.Parallel;

/**
 * Goto-style single-precision GEMM over plain arrays: c = alpha · op(a) · op(b) + beta · c.
 *
 * <p>Loop nest: NC-wide column blocks of C; KC-deep slices of k, for which a (KC, NC) block of
 * op(B) is packed once; MC-tall row blocks, for which a (MC, KC) block of op(A) is packed into L2; then the
 * MR × NR micro-kernel sweeps the block. KC = 384, MC = 96, NC = 1024 are what measured fastest on the
 * 2-core AVX-512 machines (PERF.md; KC = 128 lost ~20 %). Threads share the packed B block and claim
 * row blocks of C (parts of them when C has few rows) as they go.
 * Packing buffers are per thread and reused: once warm a call allocates only its fork/join tasks (a few KB).
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
     *
     * <p>Threads share one packed B block per (column block, k slice) and then claim work items (an MC row
     * block, or a part of one when C has few rows) from a counter, so a thread slowed by another process
     * leaves its share to the others instead of holding everyone back, as a fixed split would on these
     * shared 2-core machines. Each {@link Parallel#forChunks} returns only when all its chunks are done:
     * that is the barrier before the next k slice adds onto the same rows.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        long work = (long) m * n * k;
        int threads = (int) Math.min(Parallel.threads(), Math.max(1, work / MIN_WORK_PER_THREAD));
        if (threads <= 1 || k == 0 || alpha == 0f || (long) m * n * k < SMALL) {
            gemmOneThread(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        float[] sharedB = BUFFERS.get().b; // the caller's buffer: it waits inside this call while others read it
        int kBlocks = (k + KC - 1) / KC, kStep = (k + kBlocks - 1) / kBlocks;
        int rowBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), slivers = (nc + NR - 1) / NR;
            // Few row blocks: cut each into column parts so every thread has several items to claim.
            int parts = rowBlocks >= 4 * threads ? 1 : Math.min(slivers, (4 * threads + rowBlocks - 1) / rowBlocks);
            int partCols = (slivers + parts - 1) / parts * NR;
            int partsPerRow = (nc + partCols - 1) / partCols, items = rowBlocks * partsPerRow;
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc), j0 = jc, p0 = pc;
                float betaBlock = pc == 0 ? beta : 1f; // later k slices add onto the first
                Parallel.forChunks(threads, t -> {
                    int s0 = slivers * t / threads, s1 = slivers * (t + 1) / threads;
                    if (s0 < s1)
                        GemmPack.packB(transB, b, bOff, ldb, p0, kc, j0 + s0 * NR, Math.min(nc, s1 * NR) - s0 * NR,
                                sharedB, s0 * NR * kc);
                });
                AtomicInteger next = new AtomicInteger();
                Parallel.forChunks(threads, t -> {
                    Buffers own = BUFFERS.get();
                    int packedRowBlock = -1;
                    for (int item; (item = next.getAndIncrement()) < items; ) {
                        int rb = item / partsPerRow, part = item % partsPerRow;
                        int ic = rb * MC, mc = Math.min(MC, m - ic);
                        if (rb != packedRowBlock) {
                            GemmPack.packA(transA, a, aOff, lda, ic, mc, p0, kc, own.a);
                            packedRowBlock = rb;
                        }
                        int from = part * partCols, to = Math.min(nc, from + partCols);
                        block(mc, from, to, kc, own.a, sharedB, own.tile, alpha, betaBlock, c, cOff + ic * ldc + j0, ldc);
                    }
                });
            }
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
                GemmPack.packB(transB, b, bOff, ldb, pc, kc, jc, nc, buf.b, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPack.packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.a);
                    block(mc, 0, nc, kc, buf.a, buf.b, buf.tile, alpha, betaBlock, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /**
     * Sweeps the micro-kernel over columns [from, to) of one packed block: aPack (mc, kc) times bPack
     * (kc, nc) into c (mc, nc) at cOff. from is a multiple of NR (a sliver boundary).
     */
    private static void block(int mc, int from, int to, int kc, float[] aPack, float[] bPack, float[] tile,
                              float alpha, float beta, float[] c, int cOff, int ldc) {
        for (int jr = from; jr < to; jr += NR) {
            int nr = Math.min(NR, to - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                GemmMicroKernel.tile(kc, aPack, ir * kc, bPack, jr * kc, tile);
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

}
