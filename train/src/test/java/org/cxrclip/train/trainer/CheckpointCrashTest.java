package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightDType;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.optim.AdamW;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint write that dies midway (an exception, or the whole process killed) leaves the previous one loadable. */
class CheckpointCrashTest {
    private static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aWriteFailingMidwayKeepsThePreviousCheckpointAndCleansUp(@TempDir Path dir) throws IOException {
        Clip model = new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), 1);
        var optimizer = new AdamW(model.namedParameters(), new AdamW.Config(1e-3, 0.9, 0.98, 1e-6, 0.1));
        try (var run = new RunDirectory(dir, false)) {
            run.checkpoint(model, optimizer.state(), TrainConfig.defaults(TrainConfig.Mode.CLS), 1, 4, false);
        }
        Path ckpt = dir.resolve(RunDirectory.CHECKPOINT);
        byte[] before = Files.readAllBytes(ckpt);

        // The second tensor fails after the first has been written to the temporary file.
        StateDict sd = new StateDict("failing");
        sd.put(WeightTensor.ofFloats("a", new float[1 << 20], 1 << 20));
        sd.put(WeightTensor.computed("b", WeightDType.F32, new int[] {4}, () -> {
            throw new IllegalStateException("disk on fire");
        }));
        var e = assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(ckpt, sd, java.util.Map.of()));
        assertEquals("disk on fire", e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(ckpt));
        assertEquals(List.of(), temporaries(dir));
        Clip loaded = ClipCheckpoint.load(ckpt, Backends.defaultBackend());
        assertArrayEquals(model.namedParameters().get("visual.conv1.weight").toArray(),
                loaded.namedParameters().get("visual.conv1.weight").toArray());
    }

    @Test
    void aProcessKilledWhileWritingLeavesALoadableCheckpoint(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access")) cmd.add(a);
        cmd.addAll(List.of("-Xmx512m", "-Dcxrclip.threads=1", "-cp", System.getProperty("java.class.path"),
                CheckpointWriterChild.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int saved = 0;
        boolean killedMidWrite = false;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("saved ")) saved = Integer.parseInt(line.substring(6));
                if (saved >= 2) break; // two complete checkpoints exist; the third is being written
            }
            assertTrue(saved >= 2, "the child wrote no checkpoint (see its output above)");
            // Kill as soon as a temporary file shows that a write is in progress.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !killedMidWrite) {
                if (!temporaries(dir).isEmpty()) {
                    child.destroyForcibly();
                    killedMidWrite = true;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(killedMidWrite, "never saw a write in progress");

        Path ckpt = dir.resolve(RunDirectory.CHECKPOINT);
        var meta = SafetensorsReader.metadata(ckpt);
        long step = Long.parseLong(meta.get("cxrclip_step"));
        assertTrue(step >= saved, "checkpoint from step " + step + " but " + saved + " were reported saved");
        Clip loaded = ClipCheckpoint.load(ckpt, Backends.defaultBackend());
        // Version i has logit scale i: the weights are one whole version, the one its metadata names.
        assertEquals((float) step, loaded.logitScale.item());
        JsonObject state = JsonParser.parseString(Files.readString(dir.resolve(RunDirectory.STATE))).getAsJsonObject();
        long stateStep = state.get("step").getAsLong();
        assertTrue(stateStep == step || stateStep == step - 1, "state.json step " + stateStep + " vs checkpoint " + step);
        var opt = OptimizerCheckpoint.load(dir.resolve(RunDirectory.OPTIMIZER));
        assertEquals("adamw", opt.optimizer().toLowerCase(java.util.Locale.ROOT));
    }
}
