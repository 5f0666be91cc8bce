package org.cxrclip.engine.bench;

import java.util.Locale;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Measures c = op(a) · op(b) through a backend's GEMM (CPU or OpenCL; a device queue is drained before the
 * clock is read): random operands, a timed warm-up (so the JIT has
 * compiled the kernel), then the best of several timed runs, each long enough (~0.2 s) for the clock.
 * GFLOP/s counts 2·m·n·k per product. Correctness is checked on a random sample of C's entries against a
 * dot product computed in double directly from the operands.
 */
public final class GemmBench {
    private GemmBench() {}

    /** One measurement; {@link #line()} is the command line's output format. */
    public record Result(int m, int n, int k, int threads, boolean transA, boolean transB,
                         double gflops, double maxRelErr) {
        public String line() {
            return String.format(Locale.ROOT, "gemm m=%d n=%d k=%d threads=%d gflops=%.1f max_rel_err=%.1e",
                    m, n, k, threads, gflops, maxRelErr);
        }
    }

    /**
     * Runs the benchmark on {@code backend} with {@code threads} threads (restored afterwards); {@code repeat}
     * timed runs, best kept. a is (m, k), or (k, m) if transA; b is (k, n), or (n, k) if transB.
     */
    public static Result run(Backend backend, int m, int n, int k, boolean transA, boolean transB,
                             int threads, int repeat, long seed) {
        if (m < 1 || n < 1 || k < 1) throw new IllegalArgumentException("gemm bench: sizes must be >= 1");
        if (repeat < 1) throw new IllegalArgumentException("gemm bench: repeat must be >= 1");
        Rng rng = new Rng(seed);
        Tensor a = Tensor.uniform(backend, rng, -1f, 1f, transA ? new int[] {k, m} : new int[] {m, k});
        Tensor b = Tensor.uniform(backend, rng, -1f, 1f, transB ? new int[] {n, k} : new int[] {k, n});
        Tensor c = Tensor.zeros(backend, m, n);
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Runnable product = () -> backend.matmul().gemm(transA, transB, 1f, a, b, 0f, c);
            // Warm-up: at least 1 s and 3 calls, so C2 has compiled the micro-kernel and packing loops.
            long start = System.nanoTime();
            int calls = 0;
            while (calls < 3 || System.nanoTime() - start < 1_000_000_000L) {
                product.run();
                sync(c);
                calls++;
            }
            double perCall = (System.nanoTime() - start) / 1e9 / calls;
            int inner = (int) Math.max(1, Math.min(1000, Math.ceil(0.2 / perCall)));
            double best = Double.MAX_VALUE;
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < inner; i++) product.run();
                sync(c);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9 / inner);
            }
            double gflops = 2.0 * m * n * k / best / 1e9;
            return new Result(m, n, k, threads, transA, transB, gflops,
                    sampleError(a, b, c, m, n, k, transA, transB, seed));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * A device backend queues kernels and returns at once: reading one float of the result waits for them (its
     * queue runs in order), so the clock sees the work. On the CPU it costs nothing.
     */
    private static void sync(Tensor c) {
        c.backend().read(c.storage(), c.offset(), new float[1], 0, 1);
    }

    /** Max over 256 random entries of |c − exact| / max(|exact|, 1e-6·Σ|a·b|), exact in double. */
    static double sampleError(Tensor a, Tensor b, Tensor c, int m, int n, int k, boolean transA, boolean transB,
                              long seed) {
        float[] av = a.toArray(), bv = b.toArray(), cv = c.toArray();
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        double worst = 0;
        for (int s = 0; s < 256; s++) {
            int i = rng.nextInt(m), j = rng.nextInt(n);
            double dot = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double x = transA ? av[p * m + i] : av[i * k + p];
                double y = transB ? bv[j * k + p] : bv[p * n + j];
                dot += x * y;
                mag += Math.abs(x * y);
            }
            // Relative to |exact|, floored so an entry that cancels to ~0 does not divide by ~0.
            double err = Math.abs(cv[i * n + j] - dot) / Math.max(Math.abs(dot), 1e-3 * mag + 1e-30);
            worst = Math.max(worst, err);
        }
        return worst;
    }
}
