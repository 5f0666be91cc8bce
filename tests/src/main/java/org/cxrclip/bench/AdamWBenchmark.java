package org.cxrclip.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.optim.AdamW;
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
 * One AdamW step over {@code elements} parameter values split into 8 equal tensors, gradients fixed. The update
 * streams p, g, m, v in and p, m, v out: 28 bytes per element, so it is memory-bound; elements/µs × 28 gives
 * the achieved bandwidth. A full ViT-B/32 CLIP has 151,277,313 values (about 4.2 GB of traffic per step).
 * Run: java --add-modules jdk.incubator.vector -jar tests/target/benchmarks.jar AdamW -f 1 -wi 2 -i 3
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class AdamWBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"16000000"})
    public int elements;

    private AdamW optimizer;

    @Setup
    public void setUp() {
        Backend b = Backends.byName(backend);
        Rng rng = new Rng(7);
        Map<String, Tensor> params = new LinkedHashMap<>();
        int per = elements / 8;
        for (int i = 0; i < 8; i++) {
            Tensor p = Tensor.randn(b, rng, 0.02f, per).requiresGrad(true);
            p.accumulateGrad(Tensor.randn(b, rng, 1e-3f, per));
            params.put("p" + i, p);
        }
        optimizer = new AdamW(params, AdamW.Config.thesis(1e-5));
    }

    @Benchmark
    public long step() {
        optimizer.step();
        return optimizer.stepCount();
    }
}
