package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.train.trainer.TrainConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * The barrier stage in Spark local mode (two task slots): a rank that fails mid-stage makes Spark rerun the
 * stage, which resumes from the last checkpoint and ends with the weights of an uninterrupted run; barrier
 * limits are refused up front.
 */
class SparkTrainingTest {
    static SparkSession spark;
    static Path vocab, manifest;
    @TempDir
    static Path data;

    @BeforeAll
    static void start() throws IOException {
        vocab = SharedData.vocabulary();
        manifest = org.cxrclip.train.synth.SynthDataset.generate(data.resolve("synth"),
                new org.cxrclip.train.synth.SynthDataset.Options(12, 11, 32, 0), d -> { });
        spark = SparkSessions.start("SparkTrainingTest", "local[2]").session();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static DataParallelTraining.Spec spec(Path run, int workers, InjectedFailure failure) {
        // No split column: the seeded 80:20 patient split applies, as in 'cxrclip train'.
        return new DataParallelTraining.Spec(TrainConfig.Mode.CLS, new ModelSource(null, "tiny", 5), manifest.toString(),
                vocab.toString(), run.toString(), workers, 2, 4, 1e-4, false, TrainConfig.TextSource.REPORT, 1, failure);
    }

    @Test
    void aFailedTaskRestartsTheStageFromTheCheckpointAndFinishesAsAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        List<DataParallelTrainer.Result> straight = DataParallelTraining.run(spark, spec(tmp.resolve("a"), 2, InjectedFailure.NONE));
        assertEquals(2, straight.size());
        long total = straight.get(0).steps();
        assertTrue(total >= 3, "steps " + total);
        var failure = new InjectedFailure(InjectedFailure.Kind.THROW, 2);
        List<DataParallelTrainer.Result> retried = DataParallelTraining.run(spark, spec(tmp.resolve("b"), 2, failure));
        for (DataParallelTrainer.Result r : retried) {
            assertEquals(2, r.startStep(), "the retried stage resumes from the checkpoint of step 2");
            assertEquals(total, r.steps());
        }
        StateDict a = SafetensorsReader.read(tmp.resolve("a/last.safetensors")), b = SafetensorsReader.read(tmp.resolve("b/last.safetensors"));
        for (var t : a.tensors()) assertArrayEquals(t.toFloats(), b.require(t.name()).toFloats(), 1e-6f, t.name());
        assertTrue(straight.get(0).allReduceBytes() > 0);
    }

    @Test
    void moreWorkersThanSlotsOrDynamicAllocationAreRefusedUpFront(@TempDir Path tmp) {
        var e = assertThrows(IllegalArgumentException.class, () -> DataParallelTraining.run(spark, spec(tmp, 3, InjectedFailure.NONE)));
        assertTrue(e.getMessage().contains("--workers 3 but the cluster offers 2 task slots"), e.getMessage());
    }
}
