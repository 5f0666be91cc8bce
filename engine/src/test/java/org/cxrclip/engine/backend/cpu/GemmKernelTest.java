package org.cxrclip.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.backend.reference.RefMatmul;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

/**
 * The packed GEMM against its naive twin on sizes around every blocking boundary: the micro-tile (MR = 8,
 * NR = 2 lanes), the blocks (MC = 96, KC = 384, NC = 1024) and one past each, with 1 and 2 threads (row and
 * column splits), all transposes, padded leading dimensions and non-zero offsets (sub-matrices), and
 * alpha/beta including beta = 0 over NaN. Tolerance: values in [-1, 1], k terms per entry, float32 sums
 * in blocked order: error ≲ k·2⁻²⁴ against the double reference, so atol = 1e-6·k + 1e-6 (a wrong or missing
 * term errs by ~0.1 or more).
 */
class GemmKernelTest {
    private static final int[] SMALL = {1, 7, 8, 9, 31, 32, 33};

    private static List<int[]> sizes() {
        List<int[]> list = new ArrayList<>();
        for (int m : SMALL)
            for (int n : SMALL) list.add(new int[] {m, n, m == n ? 385 : 33});
        list.add(new int[] {97, 1025, 385});
        list.add(new int[] {96, 1024, 384});
        list.add(new int[] {193, 33, 769});
        list.add(new int[] {8, 2049, 17});
        list.add(new int[] {1, 1025, 385});
        list.add(new int[] {97, 1, 385});
        list.add(new int[] {200, 65, 64});
        list.add(new int[] {9, 2049, 256}); // short and wide: 2 threads split the columns
        return list;
    }

    @Test
    void packedKernelMatchesNaiveTwinAroundBlockSizes() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                int caseNo = 0;
                for (int[] s : sizes())
                    for (int t = 0; t < 4; t++) check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, caseNo++, threads);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** One product with padded leading dimensions and offsets; alternates beta = 0 over NaN and beta = 0.5. */
    private static void check(int m, int n, int k, boolean ta, boolean tb, int caseNo, int threads) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + caseNo % 3, ldb = bCols + caseNo % 2, ldc = n + 1 + caseNo % 4;
        int aOff = 5, bOff = 3, cOff = 7;
        float[] a = OpHarness.values(caseNo, aOff + aRows * lda);
        float[] b = OpHarness.values(caseNo + 1000, bOff + bRows * ldb);
        boolean accumulate = caseNo % 2 == 1;
        float alpha = accumulate ? 1f : -1.5f, beta = accumulate ? 0.5f : 0f;
        float[] c = OpHarness.values(caseNo + 2000, cOff + m * ldc);
        if (!accumulate) Arrays.fill(c, Float.NaN);
        float[] expected = c.clone();
        RefMatmul.gemmNaive(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        float[] actual = c.clone();
        Gemm.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);
        String what = "gemm m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " beta=" + beta
                + " threads=" + threads;
        // Entries outside the (m, n) window (row padding, before the offset) must be left untouched.
        for (int i = 0; i < actual.length; i++) {
            boolean inside = i >= cOff && (i - cOff) % ldc < n && (i - cOff) / ldc < m;
            if (!inside)
                assertTrue(Float.floatToRawIntBits(actual[i]) == Float.floatToRawIntBits(c[i]),
                        what + ": wrote outside C at index " + i);
            else assertTrue(!Float.isNaN(actual[i]), what + ": NaN at index " + i);
        }
        OpHarness.assertClose(what, expected, actual, 1e-5, 1e-6 * k + 1e-6);
    }
}
