package org.cxrclip.spark;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every Spark command takes: the model, the manifest, the output and where to run. */
final class JobOptions {
    @Option(names = "--weights", paramLabel = "FILE",
            description = "CLIP weights (any format 'cxrclip embed' reads), on a path every executor can read or shipped with spark-submit --files.")
    Path weights;

    @Option(names = "--preset", paramLabel = "NAME", description = "Random-initialised model instead of --weights: ViT-B/32, small or tiny.")
    String preset;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for --preset initialisation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest CSV (image paths relative to it; readable on every executor).")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (local path or a Hadoop URI such as hdfs://...); a rerun continues it.")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local-cluster[W,C,MB], spark://HOST:PORT... (default: spark-submit's, else local[*]).")
    String master;

    ModelSource model() {
        return ModelSource.of(weights, preset, seed);
    }
}
