package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsneCommandTest {
    @TempDir
    Path dir;

    @Test
    void drawsOneOrTwoMapsAndNamesBadInput() throws IOException {
        int n = 60, d = 8;
        Rng r = new Rng(1);
        float[] x = new float[n * d];
        StringBuilder csv = new StringBuilder("image,Edema,Mass\n");
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) x[i * d + t] = (float) r.nextGaussian() + (i % 2 == 0 ? 3 : -3);
            csv.append("i").append(i).append(".png,").append(i % 2).append(",0\n");
        }
        Path emb = dir.resolve("e.safetensors");
        SafetensorsWriter.write(emb, new StateDict("e").put(WeightTensor.ofFloats("image_embeds", x, n, d)), Map.of());
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, csv);

        Path png = dir.resolve("one.png");
        CommandRun run = CommandRun.of("tsne", "--embeddings", emb.toString(), "--manifest", manifest.toString(),
                "--label", "Edema", "--iterations", "300", "--out", png.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
        Path two = dir.resolve("two.png");
        run = CommandRun.of("tsne", "--embeddings", emb.toString(), "--embeddings", emb.toString(), "--manifest",
                manifest.toString(), "--color-by", "first-positive", "--iterations", "300", "--out", two.toString());
        assertEquals(0, run.code(), run.err());
        assertNotNull(ImageIO.read(two.toFile()));
        assertEquals(1280, ImageIO.read(two.toFile()).getWidth());

        run = CommandRun.of("tsne", "--embeddings", emb.toString(), "--manifest", manifest.toString(),
                "--label", "Nodule", "--out", png.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("no label column 'Nodule'"), run.err());
        run = CommandRun.of("tsne", "--embeddings", emb.toString(), "--tensor", "text_embeds", "--manifest",
                manifest.toString(), "--label", "Edema", "--out", png.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("key 'text_embeds' is missing (the file holds "), run.err());
    }
}
