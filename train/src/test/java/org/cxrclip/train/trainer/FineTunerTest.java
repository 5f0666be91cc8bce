package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.metrics.RocAuc;
import org.cxrclip.train.report.RunReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervised fine-tuning of the tiny CLIP on {@link SquareImages}, through the shared training loop. */
class FineTunerTest {
    @TempDir
    static Path dir;

    static Dataset all;

    @BeforeAll
    static void data() throws IOException {
        all = ManifestDataset.load(SquareImages.write(dir.resolve("data"), 32, 8, 16, true, 5), LoadOptions.defaults().withLog(null)
                .withCheckFiles(false));
    }

    private static Clip tiny(long seed) {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), seed);
    }

    private static TrainConfig config(int epochs) {
        return TrainConfig.defaults(TrainConfig.Mode.FT).withEpochs(epochs).withBatch(8).withLr(2e-3).withWeightDecay(0)
                .withAugment(false).withSeed(1).withLoaderThreads(1);
    }

    private static List<JsonObject> lines(Path run, String type) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(o -> o.get("type").getAsString().equals(type)).toList();
    }

    /**
     * Six epochs on 32 train images: the epoch loss falls, the head separates the easy label on the test split,
     * every epoch has a validation record, the report and its plots are written, and the unreadable image is
     * skipped, counted and listed while training goes on.
     */
    @Test
    void learnsTheEasyLabelAndWritesValidationReportAndSkippedImages() throws IOException {
        Path run = dir.resolve("run");
        Clip model = tiny(3);
        float[] textBefore = model.namedParameters().get("token_embedding.weight").toArray();
        var tuner = new FineTuner(model, all.labelNames(), config(6));
        var result = tuner.fit(all.split("train"), all.split("val"), run);
        assertEquals(6 * 5, result.steps()); // 33 rows (one broken) / 8 → 5 batches per epoch

        List<JsonObject> epochs = lines(run, "epoch");
        assertEquals(6, epochs.size());
        double first = epochs.get(0).get("mean_loss").getAsDouble(), last = epochs.get(5).get("mean_loss").getAsDouble();
        assertTrue(last < 0.7 * first, "mean loss fell only from " + first + " to " + last);
        for (JsonObject e : epochs) {
            assertEquals(1, e.get("skipped_images").getAsInt(), e.toString());
            assertEquals(8, e.get("val_images").getAsInt(), e.toString());
            assertTrue(e.get("val_loss").getAsDouble() > 0, e.toString());
            assertTrue(e.has("val_auc"), e.toString());
        }

        var test = tuner.evaluate(all.split("test"), 6);
        assertEquals(16, test.scored().n());
        double auc = RocAuc.auc(test.scored().scoreColumn(0), test.scored().truthColumn(0));
        assertTrue(auc > 0.9, "head AUC on the easy label " + auc);

        // The text tower is unused and frozen; the checkpoint is a plain CLIP, the head in its own file.
        assertArrayEquals(textBefore, model.namedParameters().get("token_embedding.weight").toArray());
        ClipCheckpoint.load(run.resolve("last.safetensors"), Backends.defaultBackend());
        assertTrue(Files.isRegularFile(run.resolve(FineTuner.HEAD)));

        String skipped = Files.readString(run.resolve(RunReport.SKIPPED));
        assertEquals(1, skipped.lines().count(), skipped);
        assertTrue(skipped.contains("broken.png"), skipped);
        String report = Files.readString(run.resolve(RunReport.REPORT));
        assertTrue(report.contains("| 6 |") && report.contains("1 unreadable image(s)"), report);
        for (String png : List.of(RunReport.LOSS, RunReport.LR, "auc.png", "roc.png")) {
            var img = ImageIO.read(run.resolve(png).toFile());
            assertNotNull(img, png + " does not decode");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
        }
    }

    /** Interrupted after one epoch and resumed: head and vision tower equal an uninterrupted run's. */
    @Test
    void aResumedFineTuningRunRestoresTheHead() throws IOException {
        Dataset train = all.split("train"), val = all.split("val");
        var straight = new FineTuner(tiny(8), all.labelNames(), config(2));
        straight.fit(train, val, dir.resolve("a"));
        new FineTuner(tiny(8), all.labelNames(), config(2)).fit(train, val, dir.resolve("b"), 1);
        var resumed = new FineTuner(tiny(99), all.labelNames(), config(2));
        resumed.resumeFrom(dir.resolve("b")).fit(train, val, dir.resolve("b"));
        float[] x = straight.head().weight.toArray(), y = resumed.head().weight.toArray();
        for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-4f + 1e-3f * Math.abs(x[i]), "head.weight[" + i + "]");
        assertEquals(2, lines(dir.resolve("b"), "epoch").size());
    }

    @Test
    void resumingWithoutTheHeadFileFailsNamingIt() throws IOException {
        Path run = dir.resolve("nohead");
        new FineTuner(tiny(8), all.labelNames(), config(1)).fit(all.split("train"), run);
        Files.delete(run.resolve(FineTuner.HEAD));
        var e = assertThrows(IOException.class, () -> new FineTuner(tiny(8), all.labelNames(), config(1)).resumeFrom(run));
        assertTrue(e.getMessage().contains(FineTuner.HEAD), e.getMessage());
    }
}
