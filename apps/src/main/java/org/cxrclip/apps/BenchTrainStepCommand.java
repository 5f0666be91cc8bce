package org.cxrclip.apps;

import java.util.concurrent.Callable;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.bench.TrainStepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxrclip bench train-step}: pairs/s and peak heap of full CLIP training steps on random data. */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Time CLIP training steps (forward + InfoNCE + backward + AdamW, random weights, images and "
                + "tokens); prints 'train-step model=M batch=B pairs_per_s=X peak_heap_mb=Y' on stdout and the "
                + "mean time per phase on stderr.")
final class BenchTrainStepCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "ViT-B/32", description = "Model preset (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "3", description = "Timed steps; the mean is reported (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        TrainStepBench.Result r = TrainStepBench.run(Backends.defaultBackend(), model, ClipPresets.get(model), batch, t, warmup, steps);
        System.out.println(r.line());
        System.err.println(r.phasesLine());
        return 0;
    }
}
