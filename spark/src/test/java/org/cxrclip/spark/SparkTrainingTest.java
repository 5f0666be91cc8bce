package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.train.trainer.TrainConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * The barrier stage in Spark local mode (two task slots): a rank that fails mid-stage makes Spark rerun the
 * stage, which resumes from the last committed checkpoint and ends with the weights of an uninterrupted run, also
 * when the run folder is a Hadoop URI that no local path reaches ({@code viewfs://}, a mount table over a
 * temporary folder) and when rank 0 dies between uploading a checkpoint and committing it; barrier limits are
 * refused up front.
 */
class SparkTrainingTest {
    static SparkSession spark;
    static Path vocab, manifest, mount;
    @TempDir
    static Path data;
    /** The uninterrupted run, shared by the tests that compare with it. */
    static List<DataParallelTrainer.Result> straight;

    @BeforeAll
    static void start() throws IOException {
        vocab = SharedData.vocabulary();
        manifest = org.cxrclip.train.synth.SynthDataset.generate(data.resolve("synth"),
                new org.cxrclip.train.synth.SynthDataset.Options(12, 11, 32, 0), d -> { });
        mount = Files.createDirectories(data.resolve("mount"));
        // viewfs://train/runs/NAME is mount/NAME, for every task through the job's spark.hadoop.* settings.
        var conf = SparkSessions.conf("SparkTrainingTest", "local[2]").set("spark.hadoop.fs.viewfs.mounttable.train.link./runs",
                mount.toUri().toString());
        spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static DataParallelTraining.Spec spec(String run, int workers, InjectedFailure failure) {
        // No split column: the seeded 80:20 patient split applies, as in 'cxrclip train'.
        return new DataParallelTraining.Spec(TrainConfig.Mode.CLS, new ModelSource(null, "tiny", 5), manifest.toString(),
                vocab.toString(), run, workers, 2, 4, 1e-4, false, TrainConfig.TextSource.REPORT, 1, failure);
    }

    /** The uninterrupted run, into a plain local path. */
    static synchronized List<DataParallelTrainer.Result> straight() throws IOException {
        if (straight == null) straight = DataParallelTraining.run(spark, spec(data.resolve("a").toString(), 2, InjectedFailure.NONE));
        return straight;
    }

    static void assertSameWeights(Path a, Path b) throws IOException {
        StateDict x = SafetensorsReader.read(a), y = SafetensorsReader.read(b);
        for (var t : x.tensors()) assertArrayEquals(t.toFloats(), y.require(t.name()).toFloats(), 1e-6f, t.name());
    }

    /** "step:loss" of each step line of metrics.jsonl. */
    static List<String> steps(Path metrics) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (var o : org.cxrclip.train.report.MetricsLog.read(metrics).steps())
            out.add(o.get("step").getAsLong() + ":" + o.get("loss").getAsFloat());
        return out;
    }

    @Test
    void aFailedTaskRestartsTheStageFromTheCheckpointInAHadoopRunFolderAndFinishesAsAnUninterruptedRun() throws IOException {
        long total = straight().get(0).steps();
        assertEquals(2, straight().size());
        assertTrue(total >= 3, "steps " + total);
        assertTrue(straight().get(0).allReduceBytes() > 0);
        List<DataParallelTrainer.Result> retried = DataParallelTraining.run(spark,
                spec("viewfs://train/runs/b", 2, new InjectedFailure(InjectedFailure.Kind.THROW, 2)));
        for (DataParallelTrainer.Result r : retried) {
            assertEquals(2, r.startStep(), "the retried stage resumes from the checkpoint of step 2");
            assertEquals(total, r.steps());
        }
        Path a = data.resolve("a"), b = mount.resolve("b");
        assertSameWeights(a.resolve("last.safetensors"), b.resolve("last.safetensors"));

        // What 'cxrclip train' leaves in a run folder, committed, and no checkpoints left behind.
        for (String f : List.of("last.safetensors", "optimizer.safetensors", "state.json", "metrics.jsonl", "report.md", "loss.png",
                "lr.png", HadoopRunFolder.COMMITTED))
            assertTrue(Files.isRegularFile(b.resolve(f)), f);
        assertFalse(Files.exists(b.resolve(HadoopRunFolder.CHECKPOINTS)));
        var state = com.google.gson.JsonParser.parseString(Files.readString(b.resolve("state.json"))).getAsJsonObject();
        assertTrue(state.get("finished").getAsBoolean());
        assertEquals(total, state.get("step").getAsLong());
        assertEquals(2, state.get("epoch").getAsInt());
        // --weights RUN/last.safetensors, as 'cxrclip eval' loads it.
        var meta = SafetensorsReader.metadata(b.resolve("last.safetensors"));
        assertEquals(Long.toString(total), meta.get("cxrclip_step"));
        assertEquals("2", meta.get("cxrclip_workers"));
        Clip loaded = ClipCheckpoint.loadOrCreate(b.resolve("last.safetensors"), null, 0, Backends.defaultBackend());
        assertArrayEquals(SafetensorsReader.read(a.resolve("last.safetensors")).require("logit_scale").toFloats(),
                loaded.logitScale.toArray(), 1e-6f);
        // Each step once, as in the uninterrupted run (the first attempt's step 2 went with its uncheckpointed state).
        List<String> want = steps(a.resolve("metrics.jsonl")), got = steps(b.resolve("metrics.jsonl"));
        assertEquals(want.size(), got.size(), "steps: " + got);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).split(":")[0], got.get(i).split(":")[0]);
            assertEquals(Float.parseFloat(want.get(i).split(":")[1]), Float.parseFloat(got.get(i).split(":")[1]), 1e-6f, want.get(i));
        }
        assertTrue(Files.readString(b.resolve("metrics.jsonl")).contains("{\"type\":\"resume\",\"step\":2,\"workers\":2}"));
        assertFalse(Files.readString(a.resolve("metrics.jsonl")).contains("resume"));
        assertEquals(2, org.cxrclip.train.report.MetricsLog.read(b.resolve("metrics.jsonl")).epochs().size());

        // A rerun of the finished run finds it done: nothing trained, nothing changed.
        byte[] before = Files.readAllBytes(b.resolve("last.safetensors"));
        for (DataParallelTrainer.Result r : DataParallelTraining.run(spark, spec("viewfs://train/runs/b", 2, InjectedFailure.NONE))) {
            assertEquals(total, r.startStep());
            assertTrue(r.losses().isEmpty());
        }
        assertArrayEquals(before, Files.readAllBytes(b.resolve("last.safetensors")));
    }

    @Test
    void rank0DyingBetweenUploadAndCommitLeavesThePreviousCheckpointToResumeFrom() throws IOException {
        long total = straight().get(0).steps();
        // A checkpoint every step: step 3's is uploaded, then rank 0 fails before its commit.
        String c = "file://" + data.resolve("c").toAbsolutePath();
        List<DataParallelTrainer.Result> retried = DataParallelTraining.run(spark,
                spec(c, 2, new InjectedFailure(InjectedFailure.Kind.THROW_BEFORE_COMMIT, 3)));
        for (DataParallelTrainer.Result r : retried) {
            assertEquals(2, r.startStep(), "the uploaded but uncommitted checkpoint of step 3 is not taken");
            assertEquals(total, r.steps());
        }
        assertSameWeights(data.resolve("a/last.safetensors"), data.resolve("c/last.safetensors"));
        assertFalse(Files.exists(data.resolve("c").resolve(HadoopRunFolder.CHECKPOINTS)), "the orphan upload is gone too");
    }

    @Test
    void moreWorkersThanSlotsOrDynamicAllocationAreRefusedUpFront(@TempDir Path tmp) {
        var e = assertThrows(IllegalArgumentException.class, () -> DataParallelTraining.run(spark, spec(tmp.toString(), 3, InjectedFailure.NONE)));
        assertTrue(e.getMessage().contains("--workers 3 but the cluster offers 2 task slots"), e.getMessage());
    }

    @Test
    void executorScratchFolderIsFoundAsSparkFindsIt() {
        var conf = new org.apache.spark.SparkConf(false).set("spark.local.dir", "/conf/a,/conf/b");
        String sep = java.io.File.pathSeparator;
        assertEquals(Path.of("/worker/x"), DataParallelTraining.localDir(conf, java.util.Map.of("SPARK_EXECUTOR_DIRS", "/worker/x" + sep + "/worker/y",
                "LOCAL_DIRS", "/yarn/1")));
        assertEquals(Path.of("/yarn/1"), DataParallelTraining.localDir(conf, java.util.Map.of("LOCAL_DIRS", "/yarn/1,/yarn/2")));
        assertEquals(Path.of("/env/1"), DataParallelTraining.localDir(conf, java.util.Map.of("SPARK_LOCAL_DIRS", "/env/1,/env/2")));
        assertEquals(Path.of("/conf/a"), DataParallelTraining.localDir(conf, java.util.Map.of()));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")),
                DataParallelTraining.localDir(new org.apache.spark.SparkConf(false), java.util.Map.of()));
    }
}
