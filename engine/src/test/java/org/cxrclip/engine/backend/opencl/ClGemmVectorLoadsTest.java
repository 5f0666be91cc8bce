package org.cxrclip.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The float4-load variant of {@code matmul.cl} (taken when every operand row starts 16-byte aligned) against the
 * reference: both tile sizes, all four transpose combinations, ragged tiles, a batch, and rows shorter than their
 * leading dimension so that the element-wise tail of a vector load runs. Runs when CXRCLIP_TEST_OPENCL=1.
 */
class ClGemmVectorLoadsTest {
    private static Backend cl;
    private static final Backend REF = Backends.reference();

    @BeforeAll
    static void open() {
        Assumptions.assumeTrue(OpHarness.openClRequested(),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1 or -Dcxrclip.test.opencl=true)");
        cl = OpHarness.openCl();
    }

    @Test
    void theVariantIsChosenOnlyForAlignedRows() {
        assertTrue(ClMatmul.vectorLoads(0, 768, 0, 4, 3072, 8));
        assertFalse(ClMatmul.vectorLoads(0, 65, 0, 0, 64, 0), "odd leading dimension");
        assertFalse(ClMatmul.vectorLoads(2, 64, 0, 0, 64, 0), "view at an odd offset");
        assertFalse(ClMatmul.vectorLoads(0, 64, 0, 0, 64, 4098), "batch step not a multiple of 4");
    }

    /** Shapes with every contiguous axis a multiple of 4 (so the vector variant runs) but ragged 64/128 tiles. */
    @Test
    void alignedProductsOfEveryShapeAndTransposeMatchTheReference() {
        int[][] shapes = {{4, 4, 4, 1}, {100, 36, 20, 1}, {132, 260, 52, 2}, {516, 520, 36, 1}};
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) {
                int m = s[0], n = s[1], k = s[2], batch = s[3];
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int[] sa = ta ? new int[] {batch, k, m} : new int[] {batch, m, k};
                int[] sb = tb ? new int[] {batch, n, k} : new int[] {batch, k, n};
                assertTrue(ClMatmul.vectorLoads(0, ta ? m : k, m * k, 0, tb ? k : n, k * n));
                float[] av = OpHarness.values(70 + t, batch * m * k), bv = OpHarness.values(80 + t, batch * n * k);
                float[] cv = OpHarness.values(90 + t, batch * m * n);
                Tensor cRef = Tensor.of(REF, cv, batch, m, n), cCl = Tensor.of(cl, cv, batch, m, n);
                float beta = t == 0 ? 0f : 0.5f;
                REF.matmul().gemm(ta, tb, 1.25f, Tensor.of(REF, av, sa), Tensor.of(REF, bv, sb), beta, cRef);
                cl.matmul().gemm(ta, tb, 1.25f, Tensor.of(cl, av, sa), Tensor.of(cl, bv, sb), beta, cCl);
                OpHarness.assertClose("vector gemm " + m + "x" + n + "x" + k + " batch " + batch + " transA=" + ta
                        + " transB=" + tb, cRef.toArray(), cCl.toArray(), 1e-5, 1e-4);
            }
    }

    /** A (10, 6) stored with row stride 8 and B (6, 7) with row stride 8: vector loads with 2- and 3-element tails. */
    @Test
    void rowsShorterThanTheirStrideLoadTheirTailElementWise() {
        int m = 10, k = 6, n = 7, lda = 8, ldb = 8;
        float[] a = OpHarness.values(1, m * lda), b = OpHarness.values(2, k * ldb);
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) acc += (double) a[i * lda + p] * b[p * ldb + j];
                expected[i * n + j] = (float) acc;
            }
        Tensor ta = Tensor.of(cl, a, a.length), tb = Tensor.of(cl, b, b.length), tc = Tensor.full(cl, Float.NaN, m * n);
        cl_mem am = ClStorage.mem(ta), bm = ClStorage.mem(tb), cm = ClStorage.mem(tc);
        assertTrue(ClMatmul.vectorLoads(0, lda, 0, 0, ldb, 0));
        ((ClMatmul) cl.matmul()).gemm(false, false, m, n, k, 1f, am, 0, lda, 0, bm, 0, ldb, 0, 0f, cm, 0, n, 0, 1);
        OpHarness.assertClose("strided vector gemm", expected, tc.toArray(), 1e-5, 1e-5);
    }
}
