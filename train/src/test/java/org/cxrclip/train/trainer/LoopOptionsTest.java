package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.optim.Freezing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/** The contrastive trainer's validation record and the loop options (accumulation, freezing, CML refits). */
class LoopOptionsTest {
    @TempDir
    static Path dir;

    static SimpleTokenizer tokenizer;
    static Dataset all;

    @BeforeAll
    static void setUp() throws IOException {
        tokenizer = SimpleTokenizer.load(SharedData.vocabulary());
        all = ManifestDataset.load(SquareImages.write(dir.resolve("data"), 16, 8, 0, false, 2), LoadOptions.defaults().withLog(null));
    }

    private static Clip tiny() {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), 1);
    }

    private static TrainConfig config(TrainConfig.Mode mode) {
        return TrainConfig.defaults(mode).withEpochs(1).withBatch(4).withSeed(2).withLoaderThreads(1)
                .withTextSource(TrainConfig.TextSource.META_LABELS);
    }

    private static List<JsonObject> lines(Path run, String type) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(o -> o.get("type").getAsString().equals(type)).toList();
    }

    @Test
    void clsLogsValidationLossAndZeroShotAucEachEpoch() throws IOException {
        Path run = dir.resolve("cls");
        new ContrastiveTrainer(tiny(), tokenizer, config(TrainConfig.Mode.CLS).withEpochs(2)).fit(all.split("train"), all.split("val"), run);
        List<JsonObject> epochs = lines(run, "epoch");
        assertEquals(2, epochs.size());
        for (JsonObject e : epochs) {
            double loss = e.get("val_loss").getAsDouble(), auc = e.get("val_auc").getAsDouble();
            // InfoNCE over batches of 4 pairs is near ln 4 for an untrained model; AUC lies in [0, 1].
            assertTrue(loss > 0 && loss < 3 * Math.log(4), e.toString());
            assertTrue(auc >= 0 && auc <= 1, e.toString());
            assertEquals(8, e.get("val_images").getAsInt());
        }
        assertTrue(Files.readString(run.resolve("report.md")).contains("Per-class AUC (validation, epoch 2)"));
    }

    /** 16 images in batches of 4 with accumulate 2: 2 optimiser steps per epoch, each the mean of its 2 micro-losses. */
    @Test
    void accumulationTakesOneStepPerGroupOfMicroBatches() throws IOException {
        Path run = dir.resolve("acc");
        var r = new ContrastiveTrainer(tiny(), tokenizer, config(TrainConfig.Mode.CLS).withAccumulate(2)).fit(all.split("train"), run);
        assertEquals(2, r.steps());
        assertEquals(2, lines(run, "step").size());
    }

    @Test
    void layerNormOnlyFreezingLeavesOtherWeightsUntouched() throws IOException {
        Clip model = tiny();
        float[] conv = model.namedParameters().get("visual.conv1.weight").toArray();
        float[] ln = model.namedParameters().get("ln_final.weight").toArray();
        new ContrastiveTrainer(model, tokenizer, config(TrainConfig.Mode.CLS).withFreeze(Freezing.Mode.LAYER_NORM_ONLY))
                .fit(all.split("train"), dir.resolve("ln"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(conv, model.namedParameters().get("visual.conv1.weight").toArray());
        assertTrue(!java.util.Arrays.equals(ln, model.namedParameters().get("ln_final.weight").toArray()), "LayerNorm did not train");
    }

    /** --refit-every 2 with 4 steps per epoch: the mixture is refitted after steps 2 and 4, batch-hard mining. */
    @Test
    void cmlRefitsEveryGivenStepsWithBatchHardMining() throws IOException {
        Path run = dir.resolve("cml");
        TrainConfig c = config(TrainConfig.Mode.CML).withCml(new TrainConfig.Cml(4, TrainConfig.Family.GAUSSIAN, 4, 1f, 0.2f,
                TripletLoss.Mining.BATCH_HARD, 2, 0));
        new ContrastiveTrainer(tiny(), tokenizer, c).fit(all.split("train"), run);
        List<JsonObject> steps = lines(run, "step");
        assertEquals(4, steps.size());
        assertEquals(List.of(false, true, false, true), steps.stream().map(s -> s.has("refit")).toList());
        assertTrue(Files.readString(run.resolve("state.json")).contains("\"cml_mining\":\"batch_hard\""));
    }

    /** Held-out images without report text leave the validation InfoNCE, not their whole batch (it was NaN). */
    @Test
    void validationLossSkipsOnlyTheImagesWithoutText() {
        Dataset fixture = all.split("val");
        List<org.cxrclip.train.data.Sample> texts = new java.util.ArrayList<>();
        for (int i = 0; i < fixture.size(); i++) texts.add(fixture.get(i).withText("Finding number " + i + " is seen."));
        Dataset val = fixture.withSamples(texts);
        List<org.cxrclip.train.data.Sample> holes = new java.util.ArrayList<>();
        for (int i = 0; i < val.size(); i++) holes.add(i % 2 == 0 ? val.get(i) : val.get(i).withText(null));
        var trainer = new ContrastiveTrainer(tiny(), tokenizer, config(TrainConfig.Mode.CLS).withTextSource(TrainConfig.TextSource.REPORT));
        double full = trainer.evaluate(val, 0).loss(), partial = trainer.evaluate(val.withSamples(holes), 0).loss();
        assertTrue(Double.isFinite(full) && full > 0, "full " + full);
        assertTrue(Double.isFinite(partial) && partial > 0, "with half the texts missing " + partial);
        // The held-out loss is the InfoNCE of each batch of 4 over its pairs with text, weighted by their number.
        // Texts missing at 3, 5 and 7: batch {0..3} keeps 0, 1, 2 and batch {4..7} keeps 4 and 6, so the loss must be
        // (3·L{0,1,2} + 2·L{4,6}) / 5, each L the loss of a data set holding only those images (one batch, no gaps).
        // Pairing the wrong images with the texts, or averaging per batch, changes it.
        List<org.cxrclip.train.data.Sample> gaps = new java.util.ArrayList<>();
        for (int i = 0; i < val.size(); i++) gaps.add(i == 3 || i == 5 || i == 7 ? val.get(i).withText(null) : val.get(i));
        double l012 = trainer.evaluate(val.withSamples(List.of(val.get(0), val.get(1), val.get(2))), 0).loss();
        double l46 = trainer.evaluate(val.withSamples(List.of(val.get(4), val.get(6))), 0).loss();
        assertEquals((3 * l012 + 2 * l46) / 5, trainer.evaluate(val.withSamples(gaps), 0).loss(), 1e-5 * l012,
                "L{0,1,2} = " + l012 + ", L{4,6} = " + l46);
        List<org.cxrclip.train.data.Sample> none = new java.util.ArrayList<>();
        for (int i = 0; i < val.size(); i++) none.add(val.get(i).withText(null));
        assertTrue(Double.isNaN(trainer.evaluate(val.withSamples(none), 0).loss()), "no text at all: no loss");
    }

    /**
     * --cml-warmup-epochs 1 over 2 epochs: the first epoch is plain InfoNCE (no mixture, no triplet term, the same
     * losses as CLS from the same start), the second fits the mixture and adds the triplet term.
     */
    @Test
    void cmlWarmUpEpochsTrainContrastivelyBeforeTheFirstFit() throws IOException {
        TrainConfig c = config(TrainConfig.Mode.CML).withEpochs(2).withCml(TrainConfig.Cml.defaults().withWarmupEpochs(1));
        Path cml = dir.resolve("cml-warm"), cls = dir.resolve("cls-same-start");
        new ContrastiveTrainer(tiny(), tokenizer, c).fit(all.split("train"), cml);
        new ContrastiveTrainer(tiny(), tokenizer, c.withMode(TrainConfig.Mode.CLS).withEpochs(2)).fit(all.split("train"), cls);
        List<JsonObject> steps = lines(cml, "step"), clsSteps = lines(cls, "step");
        assertEquals(8, steps.size());
        for (int i = 0; i < 4; i++) {
            assertFalse(steps.get(i).has("triplet"), steps.get(i).toString());
            assertEquals(clsSteps.get(i).get("loss").getAsFloat(), steps.get(i).get("loss").getAsFloat(), 1e-6f, "warm-up step " + i);
        }
        for (int i = 4; i < 8; i++) assertTrue(steps.get(i).has("triplet"), steps.get(i).toString());
        List<JsonObject> epochs = lines(cml, "epoch");
        assertFalse(epochs.get(0).has("clusters"), epochs.get(0).toString());
        assertTrue(epochs.get(1).has("clusters"), epochs.get(1).toString());
        assertTrue(Files.readString(cml.resolve("state.json")).contains("\"cml_warmup_epochs\":1"));
    }
}
