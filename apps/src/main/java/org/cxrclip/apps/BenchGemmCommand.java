package org.cxrclip.apps;

import java.util.concurrent.Callable;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.bench.GemmBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxrclip bench gemm}: float32 GEMM speed of the default backend ({@code --device}), one line of output. */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "Time c = op(a)·op(b) on the chosen device (--device cpu|opencl[:N]); prints "
                + "'gemm m=M n=N k=K threads=T gflops=X max_rel_err=E'.")
final class BenchGemmCommand implements Callable<Integer> {
    @Option(names = "--size", description = "Square size: m = n = k = N (--m, --n, --k override one dimension each).")
    Integer size;

    @Option(names = "--m", description = "Rows of C (default 1024 or --size).")
    Integer m;

    @Option(names = "--n", description = "Columns of C (default 1024 or --size).")
    Integer n;

    @Option(names = "--k", description = "Inner dimension (default 1024 or --size).")
    Integer k;

    @Option(names = "--threads", description = "CPU threads (default: all cores; ignored on OpenCL).")
    Integer threads;

    @Option(names = "--trans-a", description = "A is stored (k, m) and used transposed.")
    boolean transA;

    @Option(names = "--trans-b", description = "B is stored (n, k) and used transposed.")
    boolean transB;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed runs; the best is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int base = size != null ? size : 1024;
        int mm = m != null ? m : base, nn = n != null ? n : base, kk = k != null ? k : base;
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (mm < 1 || nn < 1 || kk < 1 || t < 1 || repeat < 1) {
            spec.commandLine().getErr().println("bench gemm: sizes, --threads and --repeat must be >= 1");
            return 2;
        }
        GemmBench.Result r = GemmBench.run(Backends.defaultBackend(), mm, nn, kk, transA, transB, t, repeat, 42);
        System.out.println(r.line());
        if (!(r.maxRelErr() <= 1e-3)) {
            spec.commandLine().getErr().printf("bench gemm: result is wrong: max relative error %.2e exceeds 1e-3%n",
                    r.maxRelErr());
            return 1;
        }
        return 0;
    }
}
