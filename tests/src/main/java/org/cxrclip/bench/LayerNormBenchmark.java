package org.cxrclip.bench;

import java.util.concurrent.TimeUnit;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The fused layer-norm kernels on one ViT-B/32 batch-32 activation: (32·50, 768) = (1600, 768). Calls the
 * backend kernels on preallocated buffers, so the figure is kernel time without autograd or allocation.
 * Run: java --add-modules jdk.incubator.vector -jar tests/target/benchmarks.jar LayerNorm -f 1 -wi 1 -i 2
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerNormBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"1600"})
    public int rows;

    @Param({"768"})
    public int width;

    private Tensor x, gamma, beta, out, mean, rstd, gradOut, gradX, gradGamma, gradBeta;
    private Backend b;

    @Setup
    public void setup() {
        b = Backends.byName(backend);
        Rng rng = new Rng(1);
        x = Tensor.randn(b, rng, 1f, rows, width);
        gamma = Tensor.randn(b, rng, 1f, width);
        beta = Tensor.randn(b, rng, 1f, width);
        gradOut = Tensor.randn(b, rng, 1f, rows, width);
        out = Tensor.zeros(b, rows, width);
        gradX = Tensor.zeros(b, rows, width);
        mean = Tensor.zeros(b, rows);
        rstd = Tensor.zeros(b, rows);
        gradGamma = Tensor.zeros(b, width);
        gradBeta = Tensor.zeros(b, width);
    }

    @Benchmark
    public Tensor forward() {
        b.norms().layerNorm(x, gamma, beta, 1e-5f, out, mean, rstd);
        return out;
    }

    @Benchmark
    public Tensor backward() {
        b.norms().layerNormBackward(x, gamma, mean, rstd, gradOut, gradX, gradGamma, gradBeta);
        return gradX;
    }
}
