package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed embedding on {@code local-cluster[2,1,1024]}: a standalone master and two workers in this JVM,
 * each starting one executor JVM from this test's class path (no Spark distribution needed). The tasks run in
 * those JVMs, which load the model themselves, and the result equals the single-machine embedding.
 */
class LocalClusterInferenceTest {
    static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.start("LocalClusterInferenceTest", "local-cluster[2,1,1024]").session();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void embedOnTwoExecutorJvmsEqualsSingleMachine() throws IOException {
        Path manifest = InferenceFixture.manifest(dir);
        String out = dir.resolve("embed").toString();
        var job = new BatchInference.Job(BatchInference.Task.EMBED, new ModelSource(null, "tiny", 31), "clip", 2, null, List.of(), 2);
        BatchInference.Summary s = BatchInference.run(spark, job, SparkEmbedCommand.inputs(manifest, false), manifest.toString(), out, null);
        assertEquals(4, s.computed().size());
        for (BatchInference.PartResult r : s.computed()) {
            assertNotEquals("driver", r.executor());
            assertNotEquals(ProcessHandle.current().pid(), r.pid(), "task ran in the driver JVM");
        }
        // Two executors registered (plus the driver's entry).
        assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length);
        assertTrue(s.computed().stream().map(BatchInference.PartResult::pid).distinct().count() >= 1);

        // Same rows and numbers as the single-machine run.
        var rows = InferenceFixture.readSorted(spark, out);
        var f = InferenceFixture.singleMachine(manifest, 31);
        int k = 0;
        for (var r : rows) {
            if (!r.isNullAt(r.fieldIndex("error"))) continue;
            float[] want = java.util.Arrays.copyOfRange(f.features(), k * f.dim(), (k + 1) * f.dim());
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, InferenceFixture.embedding(r), 1e-5f);
            k++;
        }
        assertEquals(f.count(), k);
    }
}
