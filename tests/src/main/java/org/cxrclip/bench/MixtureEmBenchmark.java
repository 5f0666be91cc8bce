package org.cxrclip.bench;

import java.util.concurrent.TimeUnit;
import org.cxrclip.clustering.CovarianceType;
import org.cxrclip.clustering.GaussianMixture;
import org.cxrclip.clustering.IterativeFit;
import org.cxrclip.clustering.Mixture;
import org.cxrclip.clustering.MixtureOptions;
import org.cxrclip.clustering.StudentTMixture;
import org.cxrclip.clustering.SyntheticEmbeddings;
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
 * One EM iteration (fused E-step and M-step) of a K = 40 mixture on N = 100,000 unit-norm embeddings around 40
 * random directions: diagonal covariances at d = 512 (target ≤ 2 s on 2 cores) and full covariances at
 * d = 64 (target ≤ 5 s). Initialisation (k-means++, Lloyd) happens in setup and is not timed. Family
 * "gaussian" or "t" (Student-t, ν = 4 fixed). Threads: all cores, or {@code -jvmArgsAppend -Dcxrclip.threads=N}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class MixtureEmBenchmark {
    /** covariance type and d. */
    @Param({"diag-512", "full-64"})
    public String shape;

    @Param({"gaussian", "t"})
    public String family;

    @Param({"100000"})
    public int n;

    @Param({"40"})
    public int k;

    private IterativeFit fit;

    @Setup
    public void setUp() {
        String[] p = shape.split("-");
        CovarianceType type = CovarianceType.parse(p[0]);
        int d = Integer.parseInt(p[1]);
        float[] x = SyntheticEmbeddings.aroundDirections(1, n, d, k);
        MixtureOptions o = MixtureOptions.defaults(k).withCovariance(type).withKmeansIterations(2);
        Mixture model = family.equals("t") ? StudentTMixture.fixedNu(o, 4) : new GaussianMixture(o);
        fit = IterativeFit.start(model, x, n, d);
    }

    @Benchmark
    public double emIteration() {
        return fit.step();
    }
}
