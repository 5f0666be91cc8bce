package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.cxrclip.train.synth.SynthDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip data synth}: the synthetic long-tailed chest X-ray
 * benchmark of issue 7 — phantom radiographs with one visual cue per CXR-LT class, the CXR-LT long tail, and a
 * report per image — written as {@code DIR/images/*.png}, {@code DIR/manifest.csv} and {@code DIR/classes.csv}.
 * The same seed gives the same bytes.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic long-tailed chest X-ray data set (40 CXR-LT classes, reports, several"
                + " images per patient): DIR/images/*.png, DIR/manifest.csv, DIR/classes.csv.")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created; files in it are replaced).")
    Path out;

    @Option(names = "--n", required = true, paramLabel = "N", description = "Number of images (>= 1).")
    int n;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PX", description = "Image side in pixels, >= 32 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--min-prevalence", defaultValue = "0", paramLabel = "P",
            description = "Raise every class to at least this prevalence, in [0, 0.05] (default ${DEFAULT-VALUE}: the CXR-LT tail as it is;"
                    + " small sets may want e.g. 0.005 so each rare class has test positives).")
    double minPrevalence;

    @Override
    public Integer call() throws IOException {
        SynthDataset.Options options = new SynthDataset.Options(n, seed, size, minPrevalence);
        long start = System.nanoTime();
        IntConsumer progress = Progress.counter("synth: images", n);
        Path manifest = SynthDataset.generate(out, options, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "synth: %d images of %d px in %.1f s (%.0f images/s) -> %s%n", n, size, seconds,
                n / seconds, manifest);
        return 0;
    }
}
