package org.cxrclip.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.train.data.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxrclip spark embed}: every manifest row's image features into Parquet ({@link ResultParquet}). */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a manifest's images on Spark into Parquet (row, image, embedding, error).")
final class SparkEmbedCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Option(names = "--transform", defaultValue = "clip", paramLabel = "clip|chexzero", description = "Image preprocessing (default ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--batch", defaultValue = "32", description = "Images per forward pass in a task (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rows-per-partition", defaultValue = "512",
            description = "Manifest rows per task and output file (default ${DEFAULT-VALUE}).")
    int rowsPerPartition;

    @Override
    public Integer call() throws IOException {
        var spec = new BatchInference.Job(BatchInference.Task.EMBED, job.model(), transform, batch, null, List.of(), rowsPerPartition);
        List<BatchInference.Input> inputs = inputs(job.manifest, false);
        try (var lease = SparkSessions.start("cxrclip spark embed", job.master)) {
            SparkSession spark = lease.session();
            report("embed", BatchInference.run(spark, spec, inputs, job.manifest.toAbsolutePath().toString(), job.out, null), job.out);
        }
        return 0;
    }

    /** The manifest's rows (only its test rows when {@code testOnly} and it has a test split), in order. */
    static List<BatchInference.Input> inputs(java.nio.file.Path manifest, boolean testOnly) throws IOException {
        if (!Files.isRegularFile(manifest)) throw new IOException(manifest + ": manifest not found");
        Manifest m = Manifest.read(manifest, List.of());
        boolean hasTest = testOnly && m.entries().stream().anyMatch(e -> "test".equals(e.split()));
        return m.entries().stream().filter(e -> !hasTest || "test".equals(e.split()))
                .map(e -> new BatchInference.Input(e.row(), e.image().toString())).toList();
    }

    static void report(String what, BatchInference.Summary s, String out) {
        System.out.printf(java.util.Locale.ROOT, "spark %s: %d partitions, %d already done, %d computed now (%d images, %d unreadable) "
                + "in %.1f s -> %s%n", what, s.partitions(), s.alreadyDone(), s.computed().size(), s.images(), s.errors(), s.seconds(), out);
    }
}
