package org.cxrclip.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.OptimizerKernels.AdamWScalars;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.CrossEntropy;
import org.cxrclip.engine.ops.LayerNorm;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.testing.OpHarness;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device resources over time: buffers come back to the pool when their tensors die, so many training steps
 * hold no more buffers than a few; launch tables are uploaded once; program binaries are cached on disk per
 * device and a cached binary builds working kernels (a corrupt one is rebuilt from source). Runs when
 * CXRCLIP_TEST_OPENCL=1.
 */
class ClResourcesTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void open() {
        Assumptions.assumeTrue(OpHarness.openClRequested(),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1 or -Dcxrclip.test.opencl=true)");
        cl = (OpenClBackend) OpHarness.openCl();
    }

    /** Live buffers once the garbage collector and the Cleaner have handed back everything unreachable. */
    private static int liveAfterCollection() throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 40; i++) {
            System.gc();
            Thread.sleep(50);
            int now = cl.buffers().live();
            if (now == last) return now;
            last = now;
        }
        return last;
    }

    /** One step of a two-layer MLP with layer norm, cross-entropy and AdamW, all on the device. */
    private static void step(Backend b, List<Tensor> params, List<Tensor[]> moments, long t) {
        Tensor x = Tensor.full(b, 0.1f, 8, 16);
        Tensor h = Activations.quickGelu(MatMul.linear(x, params.get(0), params.get(1)));
        h = LayerNorm.layerNorm(h, params.get(2), params.get(3), 1e-5f);
        Tensor loss = CrossEntropy.crossEntropy(MatMul.linear(h, params.get(4), null), new int[] {0, 1, 2, 3, 0, 1, 2, 3});
        loss.backward();
        AdamWScalars s = AdamWScalars.of(1e-3, 0.9, 0.98, 1e-6, 0.2, t);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            b.optimizer().adamw(p.view(p.numel()), p.grad().view(p.numel()), moments.get(i)[0], moments.get(i)[1], s);
            p.zeroGrad();
        }
    }

    @Test
    void manyTrainingStepsHoldNoMoreBuffersThanTheFirstFew() throws InterruptedException {
        List<Tensor> params = List.of(OpHarness.rand(cl, 1, 32, 16).requiresGrad(true), OpHarness.rand(cl, 2, 32).requiresGrad(true),
                Tensor.full(cl, 1f, 32).requiresGrad(true), Tensor.zeros(cl, 32).requiresGrad(true),
                OpHarness.rand(cl, 3, 4, 32).requiresGrad(true));
        List<Tensor[]> moments = params.stream().map(p -> new Tensor[] {Tensor.zeros(cl, p.numel()), Tensor.zeros(cl, p.numel())}).toList();
        for (int t = 1; t <= 5; t++) step(cl, params, moments, t);
        int afterFew = liveAfterCollection();
        // parameters and moments (15) plus the test class's static tensors at most: the steps' temporaries are gone
        assertTrue(afterFew >= 15, "live buffers " + afterFew);
        for (int t = 6; t <= 200; t++) step(cl, params, moments, t);
        int afterMany = liveAfterCollection();
        assertTrue(afterMany <= afterFew, "buffers leak: " + afterFew + " live after 5 steps, " + afterMany + " after 200");
        // Idle buffers are kept for reuse, and trimming gives them back to the driver.
        OpenClBackend.BufferStats before = cl.buffers();
        cl.trimPool();
        OpenClBackend.BufferStats after = cl.buffers();
        assertEquals(0, after.idle());
        assertEquals(0L, after.idleBytes());
        assertEquals(before.released() + before.idle(), after.released());
    }

    /**
     * The pool on a pretend 40 MiB device: returned buffers are reused by size; idle buffers of other sizes are
     * released only when live + idle memory would pass 90 % of the device.
     */
    @Test
    void thePoolReusesBySizeAndReleasesIdleBuffersOnlyWhenTheDeviceIsNearlyFull() {
        ClDevices.Device device = ClDevices.choose(Integer.parseInt(cl.name().substring("opencl:".length())));
        ClBufferPool pool = new ClBufferPool(new ClContext(device, null).context, 40L << 20);
        int mib4 = 1 << 20; // floats in 4 MiB
        cl_mem[] held = new cl_mem[8];
        for (int i = 0; i < 8; i++) held[i] = pool.acquire(mib4);
        for (int i = 0; i < 4; i++) pool.giveBack(held[i], mib4);
        assertEquals(new ClBufferPool.Stats(4, 16L << 20, 4, 16L << 20, 8, 0), pool.stats());
        pool.acquire(mib4); // reused
        assertEquals(new ClBufferPool.Stats(5, 20L << 20, 3, 12L << 20, 8, 0), pool.stats());
        pool.acquire(mib4 / 2); // 20 live + 12 idle + 2 MiB < 36 MiB: created, idle kept
        assertEquals(new ClBufferPool.Stats(6, 22L << 20, 3, 12L << 20, 9, 0), pool.stats());
        pool.acquire(3 * mib4 / 4); // 22 + 12 + 3 > 36 MiB: the idle 4 MiB buffers are released first
        assertEquals(new ClBufferPool.Stats(7, 25L << 20, 0, 0, 10, 3), pool.stats());
    }

    @Test
    void launchTablesAreUploadedOnceAndIndicesEachTime() {
        Tensor a = OpHarness.rand(cl, 4, 3, 1, 5), b = OpHarness.rand(cl, 5, 1, 4, 1);
        org.cxrclip.engine.ops.Arithmetic.add(a, b); // a broadcast add: its shape table is uploaded now
        OpenClBackend.Transfers before = cl.transfers();
        for (int i = 0; i < 10; i++) org.cxrclip.engine.ops.Arithmetic.add(a, b);
        assertEquals(0, cl.transfers().minus(before).count(), "a repeated broadcast add must not copy its shape table again");
        Tensor table = OpHarness.rand(cl, 6, 7, 3);
        before = cl.transfers();
        for (int i = 0; i < 4; i++) org.cxrclip.engine.ops.Gather.indexSelect(table, new int[] {1, 2, 6});
        assertEquals(4, cl.transfers().minus(before).toDevice(), "row indices are data: one copy per gather");
    }

    @Test
    void programBinariesAreCachedPerDeviceAndReused(@TempDir Path dir) throws IOException {
        ClDevices.Device device = ClDevices.choose(Integer.parseInt(cl.name().substring("opencl:".length())));
        ClContext first = new ClContext(device, dir);
        float[] got = sumOfSquares(first);
        assertEquals(1, first.programs.builtFromSource());
        assertEquals(0, first.programs.loadedFromCache());
        List<Path> files = binaries(dir);
        assertEquals(1, files.size(), "one binary for the optimizer family: " + files);
        assertTrue(Files.size(files.get(0)) > 0);

        ClContext second = new ClContext(device, dir);
        assertArrayEquals(got, sumOfSquares(second), "kernels from the cached binary compute the same");
        assertEquals(0, second.programs.builtFromSource());
        assertEquals(1, second.programs.loadedFromCache());

        Files.write(files.get(0), new byte[] {1, 2, 3, 4}); // a damaged cache entry is rebuilt, not trusted
        ClContext third = new ClContext(device, dir);
        assertArrayEquals(got, sumOfSquares(third));
        assertEquals(1, third.programs.builtFromSource());
        assertTrue(Files.size(binaries(dir).get(0)) > 4, "the damaged entry was replaced");
    }

    /** Σ x² of 1..1000 through optimizer.cl's two kernels on a context's own buffers. */
    private static float[] sumOfSquares(ClContext c) {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (i + 1) / 1000f;
        cl_mem in = c.pool.acquire(x.length), partial = c.pool.acquire(4), out = c.pool.acquire(1);
        c.write(x, 0, in, 0, x.length);
        c.launch("optimizer", "sum_squares_partial", new long[] {4L * ClReductions.GROUP}, new long[] {ClReductions.GROUP},
                in, 0, x.length, partial);
        c.launch("optimizer", "sum_partials", new long[] {ClReductions.GROUP}, new long[] {ClReductions.GROUP}, partial, 4,
                out, 0, 0);
        float[] got = new float[1];
        c.read(out, 0, got, 0, 1);
        assertEquals(333.8335, got[0], 1e-3); // Σ (i/1000)² = 1000·1001·2001/6 / 10⁶
        return got;
    }

    private static List<Path> binaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".bin")).toList();
        }
    }
}
