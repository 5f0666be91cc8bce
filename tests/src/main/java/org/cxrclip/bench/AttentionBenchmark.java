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
 * Fused attention for one ViT-B/32 layer at batch 32: B·H = 32·12 heads, T = S = 50 tokens, D = E = 64;
 * {@code causal} = true is the text tower's pattern (at T = 50 here, to compare like with like). Forward and
 * backward kernels on preallocated buffers. Work: forward 2 products (q·kᵀ, P·v) of B·H·T·S·D = 61.4 M
 * multiply-adds each (0.25 GFLOP), backward 4 (dV, dP, dQ, dK; 0.49 GFLOP), so forward + backward is 0.74 GFLOP.
 * Run: java --add-modules jdk.incubator.vector -jar tests/target/benchmarks.jar Attention -f 1 -wi 1 -i 2
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"384"})
    public int heads;

    @Param({"50"})
    public int tokens;

    @Param({"64"})
    public int headDim;

    @Param({"false"})
    public boolean causal;

    private Backend b;
    private Tensor q, k, v, out, probs, gradOut, dq, dk, dv;
    private float scale;

    @Setup
    public void setup() {
        b = Backends.byName(backend);
        Rng rng = new Rng(3);
        q = Tensor.randn(b, rng, 1f, heads, tokens, headDim);
        k = Tensor.randn(b, rng, 1f, heads, tokens, headDim);
        v = Tensor.randn(b, rng, 1f, heads, tokens, headDim);
        gradOut = Tensor.randn(b, rng, 1f, heads, tokens, headDim);
        out = Tensor.zeros(b, heads, tokens, headDim);
        probs = Tensor.zeros(b, heads, tokens, tokens);
        dq = Tensor.zeros(b, heads, tokens, headDim);
        dk = Tensor.zeros(b, heads, tokens, headDim);
        dv = Tensor.zeros(b, heads, tokens, headDim);
        scale = (float) (1 / Math.sqrt(headDim));
    }

    @Benchmark
    public Tensor forward() {
        b.attention().attention(q, k, v, null, causal, scale, out, probs);
        return out;
    }

    @Benchmark
    public Tensor forwardBackward() {
        b.attention().attention(q, k, v, null, causal, scale, out, probs);
        b.attention().attentionBackward(q, k, v, probs, gradOut, scale, dq, dk, dv);
        return dq;
    }
}
