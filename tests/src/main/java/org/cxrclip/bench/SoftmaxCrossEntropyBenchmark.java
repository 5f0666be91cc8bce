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
 * Fused softmax cross-entropy, forward + backward kernels, on the CLIP contrastive logits (256, 256) and on a
 * vocabulary-sized row block (32, 49408). Kernel time on preallocated buffers.
 * Run: java --add-modules jdk.incubator.vector -jar tests/target/benchmarks.jar SoftmaxCrossEntropy -f 1 -wi 1 -i 2
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxCrossEntropyBenchmark {
    @Param({"cpu"})
    public String backend;

    /** rows x classes */
    @Param({"256x256", "32x49408"})
    public String shape;

    private Backend b;
    private Tensor logits, logProbs, loss, gradLoss, gradLogits;
    private int[] targets;

    @Setup
    public void setup() {
        b = Backends.byName(backend);
        String[] p = shape.split("x");
        int n = Integer.parseInt(p[0]), c = Integer.parseInt(p[1]);
        Rng rng = new Rng(2);
        logits = Tensor.randn(b, rng, 3f, n, c);
        targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = rng.nextInt(c);
        logProbs = Tensor.zeros(b, n, c);
        gradLogits = Tensor.zeros(b, n, c);
        loss = Tensor.zeros(b);
        gradLoss = Tensor.of(b, new float[] {1f});
    }

    @Benchmark
    public Tensor forwardBackward() {
        b.norms().crossEntropy(logits, targets, logProbs, loss);
        b.norms().crossEntropyBackward(logProbs, targets, gradLoss, gradLogits);
        return gradLogits;
    }
}
