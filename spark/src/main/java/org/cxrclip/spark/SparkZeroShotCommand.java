package org.cxrclip.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.train.data.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip spark zero-shot}: embedding and one score per label for each image (the manifest's test rows
 * when it has a test split, as {@code cxrclip eval zero-shot}), into Parquet.
 */
@Command(name = "zero-shot", mixinStandardHelpOptions = true,
        description = "Zero-shot scores on Spark into Parquet (row, image, embedding, error, score_<label>...).")
final class SparkZeroShotCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Option(names = "--labels", paramLabel = "A,B,...", split = ",", description = "Labels to score (default: the manifest's label columns).")
    List<String> labels;

    @Option(names = "--prompts", required = true, paramLabel = "STYLE", description = "present (CXR-CML) or chexzero (label vs 'no label').")
    String prompts;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary, read on the driver only (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Option(names = "--transform", defaultValue = "clip", paramLabel = "clip|chexzero", description = "Image preprocessing (default ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--batch", defaultValue = "32", description = "Images per forward pass in a task (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rows-per-partition", defaultValue = "512", description = "Manifest rows per task and output file (default ${DEFAULT-VALUE}).")
    int rowsPerPartition;

    @Override
    public Integer call() throws IOException {
        List<String> names = labels;
        if (names == null) names = Manifest.read(job.manifest, null).labelNames();
        if (names.isEmpty()) throw new IllegalArgumentException("no labels: give --labels \"A,B,...\" (the manifest has no label columns)");
        var spec = new BatchInference.Job(BatchInference.Task.ZERO_SHOT, job.model(), transform, batch, PromptStyle.parse(prompts),
                names, rowsPerPartition);
        List<BatchInference.Input> inputs = SparkEmbedCommand.inputs(job.manifest, true);
        SimpleTokenizer tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        try (var lease = SparkSessions.start("cxrclip spark zero-shot", job.master)) {
            SparkSession spark = lease.session();
            SparkEmbedCommand.report("zero-shot", BatchInference.run(spark, spec, inputs, job.manifest.toAbsolutePath().toString(),
                    job.out, tokenizer), job.out);
        }
        return 0;
    }
}
