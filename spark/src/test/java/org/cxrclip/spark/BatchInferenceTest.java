package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * Distributed embedding and zero-shot scoring in Spark local mode (two task threads in this JVM), against
 * the single-machine encoder and classifier; rerun skipping; the plan check. One session for the class
 * (Spark start-up takes seconds).
 */
class BatchInferenceTest {
    static final long SEED = 31;
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path manifest;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.start("BatchInferenceTest", "local[2]").session();
        manifest = InferenceFixture.manifest(dir);
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static BatchInference.Job embedJob(int rowsPerPartition) {
        return new BatchInference.Job(BatchInference.Task.EMBED, new ModelSource(null, "tiny", SEED), "clip", 2, null, List.of(),
                rowsPerPartition);
    }

    private static BatchInference.Summary run(BatchInference.Job job, String out, SimpleTokenizer tok) throws IOException {
        return BatchInference.run(spark, job, SparkEmbedCommand.inputs(manifest, job.task() == BatchInference.Task.ZERO_SHOT),
                manifest.toString(), out, tok);
    }

    /** Every readable row's embedding equals the single-machine one; the unreadable row carries its error. */
    static void assertEqualsSingleMachine(List<Row> rows) throws IOException {
        ClipEncoder.ImageFeatures f = InferenceFixture.singleMachine(manifest, SEED);
        assertEquals(InferenceFixture.IMAGES, rows.size());
        int k = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getLong(r.fieldIndex("row")));
            if (i == InferenceFixture.BAD_ROW) {
                assertTrue(r.isNullAt(r.fieldIndex("embedding")));
                assertFalse(r.getString(r.fieldIndex("error")).isBlank());
                continue;
            }
            assertEquals(f.files().get(k).toString(), r.getString(r.fieldIndex("image")));
            assertNull(r.getString(r.fieldIndex("error")));
            float[] want = Arrays.copyOfRange(f.features(), k * f.dim(), (k + 1) * f.dim());
            assertArrayEquals(want, InferenceFixture.embedding(r), 1e-5f, "row " + i);
            k++;
        }
        assertEquals(f.count(), k);
    }

    @Test
    void embedEqualsSingleMachineAndLoadsTheModelOncePerJvm() throws IOException {
        String out = dir.resolve("embed").toString();
        BatchInference.Summary s = run(embedJob(2), out, null);
        assertEquals(4, s.partitions());
        assertEquals(4, s.computed().size());
        assertEquals(1, s.errors());
        assertEqualsSingleMachine(InferenceFixture.readSorted(spark, out));
        // Local mode: the executor is this JVM; four tasks on two threads shared one model.
        assertEquals(1, ExecutorModels.loads(new ModelSource(null, "tiny", SEED)));
    }

    @Test
    void rerunComputesOnlyThePartitionsNotCommitted() throws IOException {
        String out = dir.resolve("rerun").toString();
        run(embedJob(2), out, null);
        // As if the task of partition 2 had died before committing: no file, no marker, and a half-written attempt.
        Files.delete(Path.of(out, "part-00002.parquet"));
        Files.delete(Path.of(out, "_committed", "part-00002"));
        Files.writeString(Path.of(out, ".part-00002.attempt-99.parquet.tmp"), "half");
        BatchInference.Summary again = run(embedJob(2), out, null);
        assertEquals(3, again.alreadyDone());
        assertEquals(List.of(2), again.computed().stream().map(BatchInference.PartResult::index).toList());
        assertFalse(Files.exists(Path.of(out, ".part-00002.attempt-99.parquet.tmp")));
        assertEqualsSingleMachine(InferenceFixture.readSorted(spark, out));
        assertEquals(0, run(embedJob(2), out, null).computed().size());
        // Another split of the rows would not line up with the committed parts: refused, naming the difference.
        var e = assertThrows(IllegalArgumentException.class, () -> run(embedJob(3), out, null));
        assertTrue(e.getMessage().contains("rows_per_partition: was 2, now 3"), e.getMessage());
    }

    @Test
    void zeroShotScoresEqualTheSingleMachineClassifier() throws IOException {
        Path vocab = SharedData.vocabulary();
        SimpleTokenizer tok = SimpleTokenizer.load(vocab);
        List<String> labels = List.of("Atelectasis", "Pleural Effusion");
        String out = dir.resolve("zs").toString();
        var job = new BatchInference.Job(BatchInference.Task.ZERO_SHOT, new ModelSource(null, "tiny", SEED), "clip", 2,
                PromptStyle.CHEXZERO, labels, 3);
        run(job, out, tok);
        List<Row> rows = InferenceFixture.readSorted(spark, out);
        assertEquals(List.of("row", "image", "embedding", "error", "score_Atelectasis", "score_Pleural_Effusion"),
                Arrays.asList(rows.get(0).schema().fieldNames()));

        Clip clip = new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), SEED);
        ClipEncoder enc = new ClipEncoder(clip, 4);
        ClipEncoder.ImageFeatures f = InferenceFixture.singleMachine(manifest, SEED);
        float[] want = new ZeroShotClassifier(PromptStyle.CHEXZERO, labels, enc, tok, 32).score(f.features(), f.count());
        int k = 0;
        for (Row r : rows) {
            if (!r.isNullAt(r.fieldIndex("error"))) continue;
            assertEquals(want[2 * k], r.getFloat(r.fieldIndex("score_Atelectasis")), 1e-5f);
            assertEquals(want[2 * k + 1], r.getFloat(r.fieldIndex("score_Pleural_Effusion")), 1e-5f);
            k++;
        }
        assertEquals(f.count(), k);
    }

    @Test
    void commandLineWritesParquetAndRejectsNeutralDiff() throws IOException {
        String out = dir.resolve("cli").toString();
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = SparkMain.run("embed", "--preset", "tiny", "--seed", Long.toString(SEED), "--manifest", manifest.toString(),
                    "--out", out, "--rows-per-partition", "4");
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("2 partitions, 0 already done, 2 computed now (7 images, 1 unreadable)"), text);
        assertEqualsSingleMachine(InferenceFixture.readSorted(spark, out));
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchInference.Job(BatchInference.Task.ZERO_SHOT,
                new ModelSource(null, "tiny", SEED), "clip", 2, PromptStyle.NEUTRAL_DIFF, List.of("A"), 4));
        assertTrue(e.getMessage().contains("neutral-diff"), e.getMessage());
    }
}
