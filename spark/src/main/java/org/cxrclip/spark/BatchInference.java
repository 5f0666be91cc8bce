package org.cxrclip.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.image.CheXzeroTransform;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.image.ImageTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;

/**
 * Embedding and zero-shot scoring of a manifest's images on a Spark cluster. The driver splits the rows into
 * fixed partitions of consecutive rows, skips those already committed in the output folder, and (zero-shot)
 * computes the prompt features once and broadcasts them. Each task decodes its images where it runs, encodes
 * them with the model of its JVM ({@link ExecutorModels}: loaded once per executor, never shipped) and writes
 * its partition as one Parquet file ({@link ResultParquet}, committed by {@link PartitionedOutput}).
 * Embeddings equal {@code cxrclip embed}'s; zero-shot scores equal {@code cxrclip eval zero-shot}'s for the
 * present and chexzero styles (neutral-diff rescales each label over all images, so it is not offered here).
 */
public final class BatchInference {
    public enum Task { EMBED, ZERO_SHOT }

    /** What every task needs to know: small and serialisable, no model inside. */
    public record Job(Task task, ModelSource model, String transform, int batch, PromptStyle style, List<String> labels,
                      int rowsPerPartition) implements Serializable {
        public Job {
            if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
            if (rowsPerPartition < 1) throw new IllegalArgumentException("--rows-per-partition must be >= 1, got " + rowsPerPartition);
            BatchInference.transform(transform, 224); // fails early on an unknown name
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (task == Task.ZERO_SHOT) {
                if (style == null) throw new IllegalArgumentException("zero-shot needs --prompts");
                if (style == PromptStyle.NEUTRAL_DIFF)
                    throw new IllegalArgumentException("--prompts neutral-diff rescales each label over all images at once, which "
                            + "a partition cannot do: use present or chexzero, or the single-machine 'cxrclip eval zero-shot'");
                if (labels.isEmpty()) throw new IllegalArgumentException("zero-shot: no labels to score");
                ResultParquet.scoreColumns(labels);
            }
        }
    }

    /** One input row: its 0-based manifest row and the image path. */
    public record Input(long row, String image) implements Serializable {}

    /** A partition of consecutive rows. */
    record Chunk(int index, long[] rows, String[] images) implements Serializable {}

    /** What one task did, reported back to the driver. */
    public record PartResult(int index, int rows, int errors, String executor, long pid, double seconds) implements Serializable {}

    /** The run: partitions in the plan, those found committed and skipped, those computed now. */
    public record Summary(int partitions, int alreadyDone, List<PartResult> computed, double seconds) {
        public long images() {
            return computed.stream().mapToLong(PartResult::rows).sum();
        }

        public long errors() {
            return computed.stream().mapToLong(PartResult::errors).sum();
        }
    }

    private BatchInference() {}

    static ImageTransform transform(String name, int n) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "clip" -> new ClipTransform(n);
            case "chexzero" -> new CheXzeroTransform(320, n);
            default -> throw new IllegalArgumentException("unknown --transform '" + name + "' (known: clip, chexzero)");
        };
    }

    /**
     * Runs {@code job} over {@code inputs} into {@code outDir}; {@code tokenizer} is needed for zero-shot only
     * (on the driver). {@code source} names the input in the plan (e.g. the manifest path).
     */
    public static Summary run(SparkSession spark, Job job, List<Input> inputs, String source, String outDir,
                              SimpleTokenizer tokenizer) throws IOException {
        if (inputs.isEmpty()) throw new IllegalArgumentException(source + ": no images to process");
        long t0 = System.nanoTime();
        int parts = (int) ((inputs.size() + (long) job.rowsPerPartition() - 1) / job.rowsPerPartition());
        PartitionedOutput out = new PartitionedOutput(outDir);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Set<Integer> done = out.prepare(plan(job, inputs, source, parts), conf);
        List<Chunk> pending = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            if (done.contains(p)) continue;
            int from = p * job.rowsPerPartition(), to = Math.min(inputs.size(), from + job.rowsPerPartition());
            long[] rows = new long[to - from];
            String[] images = new String[to - from];
            for (int i = from; i < to; i++) {
                rows[i - from] = inputs.get(i).row();
                images[i - from] = inputs.get(i).image();
            }
            pending.add(new Chunk(p, rows, images));
        }
        List<PartResult> results = List.of();
        if (!pending.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<float[]> prompts = jsc.broadcast(job.task() == Task.ZERO_SHOT ? promptFeatures(job, tokenizer) : new float[0]);
            FlatMapFunction<Iterator<Chunk>, PartResult> task = chunks -> compute(job, out, prompts, chunks);
            results = jsc.parallelize(pending, pending.size()).mapPartitions(task).collect();
            prompts.destroy();
        }
        return new Summary(parts, done.size(), results, (System.nanoTime() - t0) / 1e9);
    }

    /** The prompt features (P, D) from the driver's copy of the model, computed once per job. */
    static float[] promptFeatures(Job job, SimpleTokenizer tokenizer) {
        if (tokenizer == null) throw new IllegalArgumentException("zero-shot needs the CLIP vocabulary (--vocab)");
        Clip clip = ExecutorModels.get(job.model());
        return new ClipEncoder(clip, job.batch()).encodeTexts(ZeroShotClassifier.promptTexts(job.style(), job.labels()), tokenizer);
    }

    /** Runs on an executor: each chunk (normally one) is encoded, scored and committed. */
    static Iterator<PartResult> compute(Job job, PartitionedOutput out, Broadcast<float[]> prompts, Iterator<Chunk> chunks)
            throws IOException {
        Configuration conf = SparkSessions.hadoopConfiguration();
        List<PartResult> results = new ArrayList<>();
        while (chunks.hasNext()) {
            Chunk c = chunks.next();
            long t0 = System.nanoTime();
            if (out.committed(c.index(), conf)) continue; // a duplicate attempt after the first committed
            Clip clip = ExecutorModels.get(job.model());
            int dim = clip.config().embedDim();
            List<Path> files = new ArrayList<>(c.images().length);
            for (String s : c.images()) files.add(Path.of(s));
            ClipEncoder.ImageFeatures f = new ClipEncoder(clip, job.batch())
                    .encodeImages(files, transform(job.transform(), clip.config().imageResolution()), null);
            float[] scores = job.task() == Task.ZERO_SHOT
                    ? ZeroShotClassifier.ofPromptFeatures(job.style(), job.labels(), prompts.value(), dim).score(f.features(), f.count())
                    : null;
            RowsOfChunk rows = new RowsOfChunk(c, f, scores, dim, job.labels().size());
            long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
            new ResultParquet(job.labels()).write(out.attempt(c.index(), attempt), rows, dim, conf);
            out.commit(c.index(), attempt, c.rows().length, conf);
            results.add(new PartResult(c.index(), c.rows().length, f.skipped().size(), SparkEnv.get().executorId(),
                    ProcessHandle.current().pid(), (System.nanoTime() - t0) / 1e9));
        }
        return results.iterator();
    }

    /** Lines the encoder's output (readable images only, in order) up with the chunk's rows again. */
    private static final class RowsOfChunk implements ResultParquet.Rows {
        private final Chunk chunk;
        private final float[] features, scores;
        private final int dim, labels;
        private final int[] featureRow; // chunk row → row of features, or −1
        private final String[] errors;

        RowsOfChunk(Chunk chunk, ClipEncoder.ImageFeatures f, float[] scores, int dim, int labels) {
            this.chunk = chunk;
            this.features = f.features();
            this.scores = scores;
            this.dim = dim;
            this.labels = labels;
            int n = chunk.rows().length;
            featureRow = new int[n];
            errors = new String[n];
            int ok = 0, bad = 0;
            for (int i = 0; i < n; i++) {
                Path p = Path.of(chunk.images()[i]);
                if (ok < f.count() && f.files().get(ok).equals(p)) {
                    featureRow[i] = ok++;
                } else {
                    ClipEncoder.Skipped s = f.skipped().get(bad++);
                    featureRow[i] = -1;
                    errors[i] = s.reason() == null ? "unreadable" : s.reason();
                }
            }
        }

        @Override public int count() { return chunk.rows().length; }
        @Override public long row(int i) { return chunk.rows()[i]; }
        @Override public String image(int i) { return chunk.images()[i]; }
        @Override public String error(int i) { return errors[i]; }
        @Override public float embedding(int i, int d) { return features[featureRow[i] * dim + d]; }
        @Override public float score(int i, int l) { return scores[featureRow[i] * labels + l]; }
    }

    /** What must match for a rerun to continue the same output: task, model, options and the exact input rows. */
    static Map<String, String> plan(Job job, List<Input> inputs, String source, int parts) {
        CRC32 crc = new CRC32();
        for (Input in : inputs) crc.update((in.row() + "\t" + in.image() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("task", job.task().name().toLowerCase(Locale.ROOT));
        m.put("model", job.model().describe());
        m.put("transform", job.transform());
        m.put("labels", String.join(",", job.labels()));
        m.put("prompts", job.style() == null ? "" : job.style().name().toLowerCase(Locale.ROOT));
        m.put("source", source);
        m.put("rows", Integer.toString(inputs.size()));
        m.put("rows_crc32", Long.toHexString(crc.getValue()));
        m.put("rows_per_partition", Integer.toString(job.rowsPerPartition()));
        m.put("partitions", Integer.toString(parts));
        return m;
    }
}
