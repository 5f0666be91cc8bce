package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.clip.weights.HuggingFaceNames;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    private static final ClipConfig TINY = new ClipConfig(64, 1, 8, 2, 16, 1, 16, 16, 100, 64, 1, 1);

    @TempDir
    Path dir;

    private static StateDict random(long seed) {
        Random r = new Random(seed);
        StateDict sd = new StateDict("tiny");
        for (Map.Entry<String, int[]> e : TINY.expectedShapes().entrySet()) {
            int n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) r.nextGaussian();
            }
            sd.put(WeightTensor.ofFloats(e.getKey(), v, e.getValue()));
        }
        return sd;
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void convertsHuggingFaceSafetensorsToOpenAiF32() throws IOException {
        StateDict oa = random(11);
        Path in = dir.resolve("hf.safetensors");
        SafetensorsWriter.write(in, HuggingFaceNames.toHuggingFace(oa), Map.of());
        Path out = dir.resolve("out/openai.safetensors");
        CommandRun r = run("convert", "--in", in.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String line = r.out().strip();
        assertFalse(line.contains("\n"), "one summary line: " + line);
        assertTrue(line.startsWith("convert tensors=" + oa.size() + " parameters=" + TINY.parameterCount() + " "), line);
        assertTrue(line.contains("vision(width=64 layers=1 heads=1 patch=8 grid=2 resolution=16)"), line);
        StateDict back = SafetensorsReader.read(out);
        assertEquals(List.copyOf(oa.keys()), List.copyOf(back.keys()));
        for (WeightTensor t : oa.tensors()) {
            assertArrayEquals(t.toFloats(), back.require(t.name(), t.shape()).toFloats(), 0f, t.name());
        }
        assertEquals("hf.safetensors", SafetensorsReader.metadata(out).get("source"));
    }

    @Test
    void badInputFailsWithFileNameAndLeavesNoOutput() throws IOException {
        Path in = dir.resolve("notweights.bin");
        Files.writeString(in, "hello, this is not a checkpoint");
        Path out = dir.resolve("x.safetensors");
        CommandRun r = run("convert", "--in", in.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("notweights.bin"), r.err());
        assertFalse(Files.exists(out));

        StateDict partial = new StateDict("p");
        random(12).tensors().stream().filter(t -> !t.name().equals("ln_final.bias")).forEach(partial::put);
        Path p = dir.resolve("partial.safetensors");
        SafetensorsWriter.write(p, partial, Map.of());
        CommandRun r2 = run("convert", "--in", p.toString(), "--out", out.toString());
        assertEquals(1, r2.code());
        assertTrue(r2.err().contains("partial.safetensors") && r2.err().contains("missing keys [ln_final.bias]"), r2.err());
    }
}
