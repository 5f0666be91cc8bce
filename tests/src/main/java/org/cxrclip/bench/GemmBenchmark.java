package org.cxrclip.bench;

import java.util.concurrent.TimeUnit;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU backend's GEMM, c = op(a) · op(b), for square sizes and the ViT-B/32 qkv projection
 * (1600 tokens × 768 → 2304). Time per product; GFLOP/s = 2·m·n·k / time. With {@code -prof gc} the
 * allocation per op should be a few KB (fork/join tasks, two per k slice; 1–4.5 KB measured), not the
 * packing buffers or boxed vectors (a boxed accumulator store once cost 190 MB per 2048³ product). Threads: all cores, or {@code -jvmArgsAppend -Dcxrclip.threads=N}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** m x n x k. */
    @Param({"1024x1024x1024", "2048x2048x2048", "1600x2304x768"})
    public String shape;

    /** b stored (n, k) and used transposed, as in x · Wᵀ. */
    @Param({"false"})
    public boolean transB;

    private Backend backend;
    private Tensor a, b, c;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
        backend = Backends.cpu();
        Rng rng = new Rng(1);
        a = Tensor.uniform(backend, rng, -1f, 1f, m, k);
        b = Tensor.uniform(backend, rng, -1f, 1f, transB ? new int[] {n, k} : new int[] {k, n});
        c = Tensor.zeros(backend, m, n);
    }

    @Benchmark
    public Tensor gemm() {
        backend.matmul().gemm(false, transB, 1f, a, b, 0f, c);
        return c;
    }
}
