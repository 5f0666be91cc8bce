package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @Test
    void trainsTheTinyPresetOnSyntheticDataAndWritesALoadableCheckpoint(@TempDir Path tmp) throws IOException {
        String shared = System.getProperty("cxrclip.shared", System.getenv("CXRCLIP_SHARED"));
        Path vocab = shared == null ? null : Path.of(shared, "data", "clip", "bpe_simple_vocab_16e6.txt.gz");
        Assumptions.assumeTrue(vocab != null && Files.isRegularFile(vocab), "CLIP vocabulary not found (set -Dcxrclip.shared)");
        Path csv = SynthDataset.generate(tmp.resolve("synth"), new SynthDataset.Options(40, 2, 32, 0), d -> { });
        Path run = tmp.resolve("run");
        CommandRun r = CommandRun.of("train", "cml", "--manifest", csv.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "1", "--batch", "8", "--vocab", vocab.toString(), "--text", "meta-labels");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().startsWith("train: "), r.out());
        assertTrue(Files.isRegularFile(run.resolve("state.json")));
        ClipCheckpoint.load(run.resolve("last.safetensors"), Backends.defaultBackend());
        // No split column: trains on the train part of an 80:20 patient split, so fewer than 40 images.
        Dataset all = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
        int trained = TrainCommand.trainSplit(all, 0).size();
        assertTrue(trained > 0 && trained < 40, "train part " + trained);
        assertTrue(r.out().contains("train cml: " + trained + " images"), r.out());

        CommandRun more = CommandRun.of("train", "cml", "--manifest", csv.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "2", "--batch", "8", "--vocab", vocab.toString(), "--text", "meta-labels", "--resume");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("epoch 2/2") && !more.out().contains("epoch 1/2"), more.out());
        assertTrue(Files.readString(run.resolve("state.json")).contains("\"epoch\":2"));
    }

    @Test
    void anUnknownModeIsAOneLineError(@TempDir Path tmp) {
        CommandRun r = CommandRun.of("train", "simclr", "--manifest", tmp.resolve("m.csv").toString(), "--preset", "tiny",
                "--out", tmp.resolve("run").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("MODE must be cls, cml or ft, got 'simclr'"), r.err());
    }
}
