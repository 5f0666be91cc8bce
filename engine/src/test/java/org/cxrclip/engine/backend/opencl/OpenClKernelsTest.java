package org.cxrclip.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.Dropout;
import org.cxrclip.engine.ops.Gather;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the shared op suite does not reach on the OpenCL backend: the counter-based dropout RNG bit for bit,
 * kernels on views at a non-zero offset, a GEMM over several tiles in every direction, scatter-add with many
 * repeated indices, pooled buffers coming back zeroed, overlapping copies, and device listing. Runs when
 * CXRCLIP_TEST_OPENCL=1 (or -Dcxrclip.test.opencl=true), as CI does; skipped with a reason otherwise.
 */
class OpenClKernelsTest {
    private static Backend cl;
    private static final Backend REF = Backends.reference();

    @BeforeAll
    static void open() {
        Assumptions.assumeTrue(OpHarness.openClRequested(),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1 or -Dcxrclip.test.opencl=true)");
        cl = OpHarness.openCl();
    }

    @Test
    void devicesAreListedAndTheBackendIsNamedAfterOne() {
        List<ClDevices.Device> all = ClDevices.list();
        assertFalse(all.isEmpty());
        assertTrue(cl.name().startsWith("opencl:"), cl.name());
        int index = Integer.parseInt(cl.name().substring(7));
        assertEquals(index, all.get(index).index());
        assertTrue(((OpenClBackend) cl).deviceDescription().startsWith(cl.name()));
    }

    @Test
    void dropoutMaskIsTheHostRngBitForBit() {
        int n = 10_007;
        float p = 0.3f;
        Tensor mask = Tensor.zeros(cl, n);
        cl.pointwise().dropoutMask(-0x1234_5678_9ABCL, p, mask);
        float[] got = mask.toArray();
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++)
            assertEquals(Rng.uniform(-0x1234_5678_9ABCL, i) >= p ? keep : 0f, got[i], "mask element " + i);
        float[] x = OpHarness.values(4, n);
        assertArrayEquals(Dropout.dropout(Tensor.of(REF, x, n), p, 99, true).toArray(),
                Dropout.dropout(Tensor.of(cl, x, n), p, 99, true).toArray());
    }

    @Test
    void readWriteAndKernelsRespectViewOffsets() {
        float[] v = OpHarness.values(1, 6 * 5);
        Tensor host = Tensor.of(REF, v, 6, 5), dev = Tensor.of(cl, v, 6, 5);
        Tensor hostRows = host.rows(2, 5), devRows = dev.rows(2, 5); // offset 10
        assertArrayEquals(hostRows.toArray(), devRows.toArray());
        Tensor w = Tensor.of(REF, OpHarness.values(2, 5 * 4), 5, 4);
        Tensor outRef = Tensor.zeros(REF, 3, 4), outCl = Tensor.zeros(cl, 8, 4).rows(5, 8);
        REF.matmul().gemm(false, false, 1f, hostRows, w, 0f, outRef);
        cl.matmul().gemm(false, false, 1f, devRows, w.to(cl), 0f, outCl);
        OpHarness.assertClose("gemm on views", outRef.toArray(), outCl.toArray(), 1e-5, 1e-5);
        float[] part = {7, 8, 9};
        dev.assign(v);
        cl.write(part, 1, dev.storage(), 28, 2);
        float[] back = new float[3];
        cl.read(dev.storage(), 27, back, 0, 3);
        assertArrayEquals(new float[] {v[27], 8, 9}, back);
    }

    /** 150 × 131 × 77 crosses the 64-wide tiles and the 16-deep k steps unevenly in every direction. */
    @Test
    void gemmOverManyTilesWithTransposesAlphaAndBeta() {
        int m = 150, n = 131, k = 77, batch = 2;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            int[] sa = ta ? new int[] {batch, k, m} : new int[] {batch, m, k};
            int[] sb = tb ? new int[] {n, k} : new int[] {k, n};
            float[] av = OpHarness.values(10 + t, batch * m * k), bv = OpHarness.values(20 + t, n * k);
            float[] cv = OpHarness.values(30 + t, batch * m * n);
            Tensor cRef = Tensor.of(REF, cv, batch, m, n), cCl = Tensor.of(cl, cv, batch, m, n);
            REF.matmul().gemm(ta, tb, -0.5f, Tensor.of(REF, av, sa), Tensor.of(REF, bv, sb), 0.25f, cRef);
            cl.matmul().gemm(ta, tb, -0.5f, Tensor.of(cl, av, sa), Tensor.of(cl, bv, sb), 0.25f, cCl);
            OpHarness.assertClose("gemm transA=" + ta + " transB=" + tb, cRef.toArray(), cCl.toArray(), 1e-5, 1e-4);
        }
    }

    /** 520 × 530 × 40 takes the 128×128-tile variant, with ragged last tiles in both directions. */
    @Test
    void largeGemmUsesTheBigTilesAndStaysExact() {
        int m = 520, n = 530, k = 40;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            int[] sa = ta ? new int[] {k, m} : new int[] {m, k};
            int[] sb = tb ? new int[] {n, k} : new int[] {k, n};
            float[] av = OpHarness.values(40 + t, m * k), bv = OpHarness.values(50 + t, n * k);
            float[] cv = OpHarness.values(60 + t, m * n);
            Tensor cRef = Tensor.of(REF, cv, m, n), cCl = Tensor.of(cl, cv, m, n);
            REF.matmul().gemm(ta, tb, 1.5f, Tensor.of(REF, av, sa), Tensor.of(REF, bv, sb), t == 0 ? 0f : -1f, cRef);
            cl.matmul().gemm(ta, tb, 1.5f, Tensor.of(cl, av, sa), Tensor.of(cl, bv, sb), t == 0 ? 0f : -1f, cCl);
            OpHarness.assertClose("big gemm transA=" + ta + " transB=" + tb, cRef.toArray(), cCl.toArray(), 1e-5, 1e-4);
        }
    }

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        int v = 7, d = 33, n = 500;
        Rng rng = new Rng(3);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i % 5 == 0 ? 4 : rng.nextInt(v); // row 4 receives > 100 rows
        float[] table = OpHarness.values(5, v * d), src = OpHarness.values(6, n * d);
        Tensor tRef = Tensor.of(REF, table, v, d), tCl = Tensor.of(cl, table, v, d);
        REF.layout().scatterAddRows(Tensor.of(REF, src, n, d), idx, tRef);
        cl.layout().scatterAddRows(Tensor.of(cl, src, n, d), idx, tCl);
        OpHarness.assertClose("scatterAddRows", tRef.toArray(), tCl.toArray(), 1e-5, 1e-4);
        // Through the op: the embedding gradient of a repeated index is the sum of its rows' gradients.
        Tensor emb = Tensor.of(cl, table, v, d).requiresGrad(true);
        Gather.indexSelect(emb, new int[] {2, 2, 2}).backward(Tensor.full(cl, 1f, 3, d));
        float[] g = emb.grad().toArray();
        for (int j = 0; j < d; j++) assertEquals(3f, g[2 * d + j]);
        assertEquals(0f, g[0]);
    }

    @Test
    void pooledBuffersComeBackZeroed() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50; i++) Tensor.full(cl, Float.NaN, 1000);
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 50; i++) {
                float[] z = Tensor.zeros(cl, 1000).toArray();
                for (float f : z) assertEquals(0f, f, "a new tensor must be zero even when its buffer is reused");
            }
        }
    }

    @Test
    void overlappingCopyWithinOneBuffer() {
        float[] v = OpHarness.values(8, 20);
        Tensor t = Tensor.of(cl, v, 20);
        cl.pointwise().copy(t.rows(0, 15), t.rows(5, 20));
        float[] got = t.toArray();
        for (int i = 0; i < 5; i++) assertEquals(v[i], got[i]);
        for (int i = 5; i < 20; i++) assertEquals(v[i - 5], got[i]);
    }

    @Test
    void unknownDeviceIsAClearError() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Backends.byName("opencl:999"));
        assertTrue(e.getMessage().contains("999"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Backends.byName("opencl:x"));
        assertTrue(e.getMessage().contains("opencl:x"), e.getMessage());
    }
}
