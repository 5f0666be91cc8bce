package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * {@code embed} and {@code train} with {@code --device opencl} compute what they compute on the CPU: the same
 * embeddings, and the same loss at every step of a short tiny-preset run. Runs when CXRCLIP_TEST_OPENCL=1 (as in
 * CI, on PoCL) and the CLIP vocabulary is in ../shared.
 *
 * <p>Tolerances: embeddings 1e-4 relative + 1e-5 absolute (float sums in another order through two small
 * transformers); losses 1e-3 relative after four AdamW steps (see TrainingStepOnOpenClTest in module train for
 * why parameters drift apart by up to lr per step where gradients are near zero).
 */
class OpenClCommandsTest {
    private static final java.util.regex.Pattern LOSS = java.util.regex.Pattern.compile("\"loss\":([-0-9.eE]+)");
    @TempDir
    Path dir;
    Path vocab;

    @BeforeEach
    void requirements() {
        assumeTrue(Boolean.getBoolean("cxrclip.test.opencl") || "1".equals(System.getenv("CXRCLIP_TEST_OPENCL")),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1)");
        vocab = SharedData.vocabulary();
    }

    @Test
    void embedOnOpenClWritesTheCpuEmbeddings() throws IOException {
        for (int i = 0; i < 3; i++) {
            Rng r = new Rng(i);
            BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 36; y++)
                for (int x = 0; x < 40; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
            Files.createDirectories(dir.resolve("imgs"));
            ImageIO.write(img, "png", dir.resolve("imgs/" + i + ".png").toFile());
        }
        Path texts = dir.resolve("texts.txt");
        Files.writeString(texts, "no pleural effusion\nmild cardiomegaly\nright lower lobe opacity\n");
        StateDict[] out = new StateDict[2];
        String[] devices = {"cpu", "opencl"};
        for (int d = 0; d < 2; d++) {
            Path file = dir.resolve(devices[d] + ".safetensors");
            CommandRun r = CommandRun.of("embed", "--device", devices[d], "--preset", "tiny", "--seed", "4", "--images",
                    dir.resolve("imgs").toString(), "--texts", texts.toString(), "--vocab", vocab.toString(), "--out",
                    file.toString(), "--batch", "2");
            assertEquals(0, r.code(), devices[d] + ": " + r.err());
            assertTrue(r.out().contains("3 images embedded"), r.out());
            out[d] = SafetensorsReader.read(file);
        }
        for (String key : List.of("image_embeds", "text_embeds"))
        {
            float[] cpu = out[0].require(key).toFloats(), dev = out[1].require(key).toFloats();
            assertEquals(cpu.length, dev.length, key);
            for (int i = 0; i < cpu.length; i++)
                assertEquals(cpu[i], dev[i], 1e-5 + 1e-4 * Math.abs(cpu[i]), key + "[" + i + "] (opencl vs cpu)");
        }
        assertEquals("cpu", Backends.defaultBackend().name(), "--device must not leak into later commands");
    }

    @Test
    void trainClsOnOpenClTakesTheCpuStepsAndWritesALoadableCheckpoint() throws IOException {
        Path csv = SynthDataset.generate(dir.resolve("synth"), new SynthDataset.Options(40, 2, 32, 0), d -> { });
        double[][] losses = new double[2][];
        String[] devices = {"cpu", "opencl"};
        for (int d = 0; d < 2; d++) {
            Path run = dir.resolve("run-" + devices[d]);
            CommandRun r = CommandRun.of("train", "cls", "--device", devices[d], "--manifest", csv.toString(), "--preset",
                    "tiny", "--out", run.toString(), "--epochs", "1", "--batch", "8", "--vocab", vocab.toString(),
                    "--text", "meta-labels");
            assertEquals(0, r.code(), devices[d] + ": " + r.err());
            assertTrue(r.lastLine().startsWith("train: "), r.out());
            losses[d] = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                    .filter(l -> l.contains("\"type\":\"step\""))
                    .mapToDouble(l -> Double.parseDouble(LOSS.matcher(l).results().findFirst().orElseThrow().group(1)))
                    .toArray();
            // The checkpoint written from device memory loads back (on the CPU).
            org.cxrclip.clip.model.ClipCheckpoint.load(run.resolve("last.safetensors"), Backends.cpu());
        }
        assertTrue(losses[0].length >= 3, "steps: " + losses[0].length);
        assertEquals(losses[0].length, losses[1].length);
        for (int s = 0; s < losses[0].length; s++)
            assertEquals(losses[0][s], losses[1][s], 1e-3 * Math.abs(losses[0][s]), "loss at step " + s);
        assertEquals("cpu", Backends.defaultBackend().name());
    }

    @Test
    void benchEncodeRunsOnOpenClWithTheCpuLineFormat() {
        CommandRun r = CommandRun.of("bench", "encode", "--device", "opencl", "--model", "tiny", "--batch", "2", "--repeat", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("encode-image model=tiny batch=2 threads=\\d+ images_per_s=[0-9.]+")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("encode-text model=tiny batch=2 threads=\\d+ texts_per_s=[0-9.]+")),
                r.out());
    }
}
