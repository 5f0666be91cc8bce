package org.cxrclip.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxrclip spark train cls|cml}: data-parallel training in a Spark barrier stage ({@link DataParallelTraining}).
 * {@code --batch} is the global batch, as in {@code cxrclip train}: each of the W workers takes about batch/W rows.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Data-parallel CLS/CML training on Spark (barrier mode, ring all-reduce; resumes from its last checkpoint).")
final class SparkTrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODE", description = "cls or cml.")
    String mode;

    @Option(names = "--weights", paramLabel = "FILE", description = "Initial CLIP weights (readable on every executor).")
    Path weights;

    @Option(names = "--preset", paramLabel = "NAME", description = "Random-initialised model: ViT-B/32, small or tiny.")
    String preset;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation and training (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest with image, text (or labels), optional split.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Run folder: a Hadoop URI (hdfs://, s3a://, file://...) or a local path every executor shares "
                    + "(checkpoints/, then last.safetensors, optimizer.safetensors, state.json, metrics.jsonl, report.md).")
    String out;

    @Option(names = "--workers", defaultValue = "2", description = "Data-parallel workers = barrier tasks (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Global batch size over all workers (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--text", defaultValue = "report", paramLabel = "SOURCE", description = "report or meta-labels (default ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--no-augment", description = "Turn off image augmentation and sentence subsampling.")
    boolean noAugment;

    @Option(names = "--checkpoint-every", defaultValue = "50", description = "Rank 0 checkpoints every K steps (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary, readable on every executor (else $CXRCLIP_VOCAB).")
    Path vocab;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--inject-failure", defaultValue = "none", hidden = true, paramLabel = "none|throw:K|halt:K|commit:K",
            description = "Test hook: in the stage's first attempt the last rank throws, or halts its executor JVM, before step K; "
                    + "or rank 0 throws after uploading the checkpoint of step K, before committing it.")
    String injectFailure;

    @Override
    public Integer call() throws IOException {
        TrainConfig.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "cls" -> TrainConfig.Mode.CLS;
            case "cml" -> TrainConfig.Mode.CML;
            default -> throw new IllegalArgumentException("MODE must be cls or cml, got '" + mode + "'");
        };
        TrainConfig.TextSource source = switch (text.toLowerCase(Locale.ROOT)) {
            case "report" -> TrainConfig.TextSource.REPORT;
            case "meta-labels" -> TrainConfig.TextSource.META_LABELS;
            default -> throw new IllegalArgumentException("--text must be report or meta-labels, got '" + text + "'");
        };
        Path v = new VocabularyLocator().locate(vocab);
        var spec = new DataParallelTraining.Spec(m, new ModelSource(weights == null ? null : weights.toAbsolutePath().toString(),
                preset, seed), manifest.toAbsolutePath().toString(), v.toAbsolutePath().toString(), HadoopRunFolder.uri(out),
                workers, epochs, batch, lr, !noAugment, source, checkpointEvery, InjectedFailure.parse(injectFailure));
        // Checked here, once, rather than by every rank in every retry of the barrier stage.
        var train = DataParallelTraining.trainSplit(org.cxrclip.train.data.ManifestDataset.load(manifest,
                org.cxrclip.train.data.LoadOptions.defaults().withLog(null)), seed);
        if (source == TrainConfig.TextSource.REPORT)
            for (var s : train.samples())
                if (s.text() == null || s.text().isBlank())
                    throw new IllegalArgumentException(manifest + ": " + s.image() + " has no report text; use --text meta-labels");
        long t0 = System.nanoTime();
        try (var lease = SparkSessions.start("cxrclip spark train", master)) {
            List<DataParallelTrainer.Result> results = DataParallelTraining.run(lease.session(), spec);
            double secs = (System.nanoTime() - t0) / 1e9;
            var r0 = results.stream().filter(r -> r.rank() == 0).findFirst().orElseThrow();
            float last = r0.losses().isEmpty() ? Float.NaN : r0.losses().get(r0.losses().size() - 1);
            long taken = r0.steps() - r0.startStep();
            System.out.printf(Locale.ROOT, "spark train: %d workers, steps %d..%d, last loss %.4f, %.1f s in all; step loop %.1f s: "
                            + "%.3f steps/s, %.2f pairs/s; %d all-reduces of %d floats, each %.1f MB sent per rank in %.3f s -> %s%n",
                    workers, r0.startStep(), r0.steps(), last, secs, r0.loopSeconds(), taken / r0.loopSeconds(),
                    r0.pairs() / r0.loopSeconds(), r0.allReduces(), r0.gradientFloats(),
                    r0.allReduces() == 0 ? 0 : r0.allReduceBytes() / 1e6 / r0.allReduces(),
                    r0.allReduces() == 0 ? 0 : r0.allReduceSeconds() / r0.allReduces(),
                    new org.apache.hadoop.fs.Path(spec.runDir(), DataParallelTrainer.FINAL));
        }
        return 0;
    }
}
