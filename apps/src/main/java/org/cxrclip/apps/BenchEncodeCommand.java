package org.cxrclip.apps;

import java.util.concurrent.Callable;
import org.cxrclip.clip.bench.EncodeBench;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxrclip bench encode}: images/s and texts/s of the CLIP towers on random weights. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Time CLIP's image and text encoders (inference, random weights); prints "
                + "'encode-image model=M batch=B threads=T images_per_s=X' and 'encode-text ... texts_per_s=X'.")
final class BenchEncodeCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "ViT-B/32", description = "Model preset (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed batches; the best is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (batch < 1 || t < 1 || repeat < 1) throw new IllegalArgumentException("bench encode: --batch, --threads and --repeat must be >= 1");
        EncodeBench.Result r = EncodeBench.run(Backends.defaultBackend(), model, ClipPresets.get(model), batch, t, repeat);
        System.out.println(r.imageLine());
        System.out.println(r.textLine());
        System.out.println(r.memoryLine());
        return 0;
    }
}
