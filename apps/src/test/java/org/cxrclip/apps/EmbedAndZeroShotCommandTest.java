package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * {@code embed} and {@code eval zero-shot} end to end on a random tiny CLIP: file order, skipped images,
 * output layout, and scores recomputed independently from the embeddings.
 */
class EmbedAndZeroShotCommandTest {
    @TempDir
    Path dir;
    Path vocab;

    @BeforeEach
    void findVocabulary() {
        vocab = SharedData.vocabulary();
    }

    private Path image(String name, long seed) throws IOException {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(40, 48, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 40; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
        Path p = dir.resolve("imgs").resolve(name);
        Files.createDirectories(p.getParent());
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void embedWritesFeaturesInFileOrderAndListsSkippedImages() throws IOException {
        Path b = image("b.png", 2), a = image("a.png", 1);
        Files.writeString(dir.resolve("imgs/c.png"), "not an image");
        Path texts = dir.resolve("texts.txt");
        Files.writeString(texts, "no pleural effusion\nmild cardiomegaly\n");
        Path out = dir.resolve("e.safetensors");
        CommandRun r = CommandRun.of("embed", "--preset", "tiny", "--seed", "3", "--images", dir.resolve("imgs").toString(),
                "--texts", texts.toString(), "--vocab", vocab.toString(), "--out", out.toString(), "--batch", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 images embedded, 1 skipped"), r.out());
        assertTrue(r.err().contains("c.png"), r.err());

        StateDict sd = SafetensorsReader.read(out);
        assertArrayEquals(new int[] {2, 32}, sd.require("image_embeds").shape());
        assertArrayEquals(new int[] {2, 32}, sd.require("text_embeds").shape());
        Map<String, String> meta = SafetensorsReader.metadata(out);
        assertEquals(List.of(a.toString(), b.toString()), new com.google.gson.Gson().fromJson(meta.get("images"), List.class));
        assertTrue(meta.get("skipped").contains("c.png"), meta.get("skipped"));

        // The second row must be b.png's features from the same model, computed directly.
        Clip clip = new Clip(org.cxrclip.engine.backend.Backends.defaultBackend(), ClipPresets.get("tiny"), 3);
        float[] pixels = new ClipTransform(32).apply(ImageDecoder.read(b));
        float[] direct;
        try (var g = Autograd.noGrad()) {
            direct = clip.encodeImage(Tensor.of(pixels, 1, 3, 32, 32)).toArray();
        }
        float[] row = java.util.Arrays.copyOfRange(sd.require("image_embeds").toFloats(), 32, 64);
        assertArrayEquals(direct, row, 1e-5f);
    }

    @Test
    void zeroShotPresentScoresAreCosinesAndAucIsReported() throws IOException {
        String[] names = {"a.png", "b.png", "c.png", "d.png"};
        StringBuilder csv = new StringBuilder("image,patient_id,Edema,Pleural_Effusion\n");
        for (int i = 0; i < names.length; i++) {
            image(names[i], 10 + i);
            csv.append("imgs/").append(names[i]).append(",p").append(i).append(',').append(i % 2).append(',')
                    .append(i < 2 ? "1" : "-1").append('\n');
        }
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, csv);
        Path outDir = dir.resolve("zs");
        CommandRun r = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--manifest", manifest.toString(),
                "--prompts", "present", "--vocab", vocab.toString(), "--out", outDir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().matches("auc total=\\d\\.\\d{4} base=nan rare=\\d\\.\\d{4}"), r.lastLine());
        List<String> rows = Files.readAllLines(outDir.resolve("scores.csv"), StandardCharsets.UTF_8);
        assertEquals("image,Edema.truth,Edema.score,Pleural_Effusion.truth,Pleural_Effusion.score", rows.get(0));
        assertTrue(rows.get(1).startsWith("imgs/a.png,0,"), rows.get(1));  // id as in the manifest, then truth
        assertEquals(5, rows.size());

        // Recompute row 0, label "Pleural_Effusion" from embed's outputs: cos(image, "Pleural Effusion is present").
        Path texts = dir.resolve("p.txt");
        Files.writeString(texts, "Edema is present\nPleural Effusion is present\n");
        Path e = dir.resolve("e.safetensors");
        assertEquals(0, CommandRun.of("embed", "--preset", "tiny", "--manifest", manifest.toString(), "--texts",
                texts.toString(), "--vocab", vocab.toString(), "--out", e.toString()).code());
        StateDict sd = SafetensorsReader.read(e);
        float[] img = sd.require("image_embeds").toFloats(), txt = sd.require("text_embeds").toFloats();
        double dot = 0, ni = 0, nt = 0;
        for (int d = 0; d < 32; d++) {
            dot += img[d] * txt[32 + d];
            ni += img[d] * img[d];
            nt += txt[32 + d] * txt[32 + d];
        }
        float expected = (float) (dot / Math.sqrt(ni * nt));
        float got = Float.parseFloat(rows.get(1).split(",")[4]);
        assertEquals(expected, got, 1e-5f);

        List<String> auc = Files.readAllLines(outDir.resolve("auc.csv"), StandardCharsets.UTF_8);
        assertEquals("label,group,auc,ci_low,ci_high", auc.get(0));
        // Pleural_Effusion: images a, b positive; c, d are -1 and count as negative, so the AUC is defined.
        assertTrue(auc.get(2).startsWith("Pleural_Effusion,rare,0.") || auc.get(2).equals("Pleural_Effusion,rare,1.0000,,"),
                auc.get(2));
    }

    @Test
    void badInputGivesOneClearLine() {
        CommandRun r = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--images", dir.resolve("none").toString(),
                "--labels", "Edema", "--prompts", "present", "--vocab", vocab.toString(), "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("none: not a folder") && !r.err().contains("\tat "), r.err());
        r = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--images", dir.toString(), "--labels", "Edema",
                "--prompts", "maybe", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown prompt style 'maybe'"), r.err());
        // A corrupt weight file is the user's to fix too: one line naming it, no stack trace.
        Path garbage = dir.resolve("garbage.safetensors");
        Path texts = dir.resolve("texts.txt");
        try {
            Files.writeString(garbage, "not a checkpoint at all");
            Files.writeString(texts, "edema\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        r = CommandRun.of("embed", "--weights", garbage.toString(), "--texts", texts.toString(), "--vocab", vocab.toString(),
                "--out", dir.resolve("garbage-embeddings.safetensors").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("embed: " + garbage + ": is neither safetensors nor a PyTorch zip checkpoint")
                && !r.err().contains("\tat "), r.err());
        // A texts file whose line 2 is not UTF-8: the error names the file and the line.
        Path latin1 = dir.resolve("latin1.txt");
        try {
            Files.write(latin1, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        r = CommandRun.of("embed", "--preset", "tiny", "--texts", latin1.toString(), "--vocab", vocab.toString(),
                "--out", dir.resolve("latin1-embeddings.safetensors").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("embed: " + latin1 + ":2: not UTF-8 text") && !r.err().contains("\tat "), r.err());
        r = CommandRun.of("embed", "--weights", dir.resolve("missing.pt").toString(), "--preset", "tiny",
                "--texts", "x", "--out", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("either --weights FILE or --preset NAME"), r.err());
    }
}
