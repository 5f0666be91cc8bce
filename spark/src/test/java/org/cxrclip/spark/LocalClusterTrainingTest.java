package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.StateDict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * {@code spark train cls} on {@code local-cluster[2,1,1024]}: two executor JVMs with one core each, so the two
 * ranks run in different JVMs. One run has the last rank halt its executor JVM mid-stage
 * ({@code Runtime.halt}, as a lost machine: no exception reaches Spark). The standalone worker starts a new
 * executor, the barrier stage is retried, resumes from rank 0's last committed checkpoint and ends with the
 * weights of an uninterrupted run. That run's folder is {@code viewfs://cluster/runs/halted}, a Hadoop mount table
 * over a temporary folder that the executor JVMs know only from the job's {@code spark.hadoop.*} settings.
 */
class LocalClusterTrainingTest {
    static SparkSession spark;
    static Path vocab, manifest, mount;
    /** Executors removed after both first ones registered. */
    static final Set<String> removed = ConcurrentHashMap.newKeySet();
    static Set<String> initial;
    static final List<String> removedReasons = new java.util.concurrent.CopyOnWriteArrayList<>();
    @TempDir
    static Path data;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        vocab = SharedData.vocabulary();
        manifest = org.cxrclip.train.synth.SynthDataset.generate(data.resolve("synth"),
                new org.cxrclip.train.synth.SynthDataset.Options(12, 11, 32, 0), d -> { });
        mount = Files.createDirectories(data.resolve("mount"));
        var conf = SparkSessions.conf("LocalClusterTrainingTest", "local-cluster[2,1,1024]")
                .set("spark.hadoop.fs.viewfs.mounttable.cluster.link./runs", mount.toUri().toString());
        spark = org.apache.spark.sql.SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // SparkSessions has the context wait for both executors' cores; their block managers, which executors()
        // lists, may register a moment later.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((spark.sparkContext().statusTracker().getExecutorInfos().length < 3 || executors().size() < 3)
                && System.nanoTime() < deadline)
            Thread.sleep(100);
        initial = executors();
        assertEquals(3, initial.size(), "executors and driver registered: " + initial);
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                removed.add(e.executorId());
                removedReasons.add(e.reason());
            }
        });
    }

    /** host:port of every live executor's block manager (the driver's too). */
    static Set<String> executors() {
        return new java.util.TreeSet<>(scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getExecutorMemoryStatus()).keySet());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** A 2-worker tiny CLS run: 9 train images in 2 epochs of 3 steps of 3 pairs, a checkpoint every 2 steps. */
    static int train(String out, String failure) {
        return SparkMain.run("train", "cls", "--preset", "tiny", "--seed", "5", "--manifest", manifest.toString(), "--out", out, "--vocab", vocab.toString(), "--workers", "2", "--epochs", "2", "--batch", "3", "--no-augment",
                "--checkpoint-every", "2", "--inject-failure", failure);
    }

    /** (step, loss) of every step line in metrics.jsonl, in the order written. */
    static List<String> stepLines(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        var p = java.util.regex.Pattern.compile("\"step\":(\\d+),\"loss\":([^,]+),");
        for (String line : Files.readAllLines(run.resolve(DataParallelTrainer.METRICS))) {
            var m = p.matcher(line);
            if (m.find()) out.add(m.group(1) + ":" + m.group(2));
        }
        return out;
    }

    @Test
    void anExecutorJvmHaltedMidStageIsReplacedAndTheRetriedStageFinishesFromTheCheckpoint(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        assertEquals(0, train(tmp.resolve("straight").toString(), "none"));
        List<String> straight = stepLines(tmp.resolve("straight"));
        assertEquals(6, straight.size(), "2 epochs x 3 steps: " + straight);
        assertTrue(removed.isEmpty(), "no executor lost in the uninterrupted run: " + removedReasons);
        double straightSecs = (System.nanoTime() - t0) / 1e9;

        // Rank 1 halts its JVM after 3 steps; the checkpoint of step 2 is the last one (every 2 steps).
        t0 = System.nanoTime();
        assertEquals(0, train("viewfs://cluster/runs/halted", "halt:3"));
        System.err.printf("LocalClusterTrainingTest: uninterrupted %.1f s, halted and retried %.1f s%n", straightSecs,
                (System.nanoTime() - t0) / 1e9);
        // One of the two executor JVMs died and the standalone worker started another in its place.
        assertEquals(1, removed.size(), "one executor JVM died: " + removedReasons);
        assertTrue(removedReasons.get(0).contains("exited with code " + InjectedFailure.HALT_STATUS), removedReasons.get(0));
        Set<String> now = executors();
        assertEquals(3, now.size(), "executors and driver after the retry: " + now);
        assertTrue(!initial.containsAll(now), "a new executor: was " + initial + ", now " + now);

        // The first attempt logged steps 0..2 and committed the checkpoint of step 2; the retry took it, with its
        // metrics.jsonl, and logged the resume and steps 2..5: every step once, with the uninterrupted run's loss.
        Path halted = mount.resolve("halted");
        List<String> resumed = stepLines(halted);
        assertEquals(straight.size(), resumed.size(), "steps logged: " + resumed);
        for (int i = 0; i < straight.size(); i++) {
            String[] w = straight.get(i).split(":"), h = resumed.get(i).split(":");
            assertEquals(w[0], h[0], "step number of line " + i);
            assertEquals(Float.parseFloat(w[1]), Float.parseFloat(h[1]), 1e-6f, "loss of step " + w[0]);
        }
        List<String> lines = Files.readAllLines(halted.resolve(DataParallelTrainer.METRICS));
        assertEquals(List.of("{\"type\":\"resume\",\"step\":2,\"workers\":2}"),
                lines.stream().filter(l -> l.contains("\"resume\"")).toList());
        assertTrue(lines.indexOf("{\"type\":\"resume\",\"step\":2,\"workers\":2}") < lines.indexOf(lines.stream()
                .filter(l -> l.contains("\"step\":2,\"loss\"")).findFirst().orElseThrow()), "the resume precedes step 2");
        assertTrue(Files.readString(halted.resolve(HadoopRunFolder.COMMITTED)).contains("step=6"));
        assertTrue(!Files.exists(halted.resolve(HadoopRunFolder.CHECKPOINTS)));

        StateDict a = SafetensorsReader.read(tmp.resolve("straight/last.safetensors")),
                b = SafetensorsReader.read(halted.resolve("last.safetensors"));
        for (var t : a.tensors()) assertArrayEquals(t.toFloats(), b.require(t.name()).toFloats(), 1e-6f, t.name());
    }
}
