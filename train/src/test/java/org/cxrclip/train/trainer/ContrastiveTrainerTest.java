package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.optim.LrSchedule;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.cxrclip.engine.testing.SharedData;

/** End-to-end runs of the trainer on a small synthetic data set with the tiny CLIP preset. */
class ContrastiveTrainerTest {
    @TempDir
    static Path data;

    static SimpleTokenizer tokenizer;
    static Dataset dataset;

    @BeforeAll
    static void setUp() throws IOException {
        tokenizer = SimpleTokenizer.load(SharedData.vocabulary());
        Path csv = SynthDataset.generate(data.resolve("synth"), new SynthDataset.Options(64, 11, 32, 0), d -> { });
        dataset = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
        assertEquals(64, dataset.size());
    }

    private static Clip tiny(long seed) {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), seed);
    }

    @ParameterizedTest
    @EnumSource(value = TrainConfig.Mode.class, names = {"CLS", "CML"})
    void twoEpochsWriteMetricsStateAndACheckpointEqualToTheModel(TrainConfig.Mode mode, @TempDir Path run) throws IOException {
        Clip model = tiny(1);
        TrainConfig config = TrainConfig.defaults(mode).withEpochs(2).withBatch(16).withLr(5e-4).withSeed(3).withLoaderThreads(2);
        var result = new ContrastiveTrainer(model, tokenizer, config).fit(dataset, run);

        assertEquals(8, result.steps()); // 64 images / 16 per batch × 2 epochs
        List<JsonObject> lines = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) lines.add(JsonParser.parseString(l).getAsJsonObject());
        List<JsonObject> steps = lines.stream().filter(o -> o.get("type").getAsString().equals("step")).toList();
        List<JsonObject> epochs = lines.stream().filter(o -> o.get("type").getAsString().equals("epoch")).toList();
        assertEquals(8, steps.size());
        assertEquals(2, epochs.size());
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.get(i);
            assertEquals(i, s.get("step").getAsLong());
            assertEquals(i / 4, s.get("epoch").getAsInt());
            assertTrue(Float.isFinite(s.get("loss").getAsFloat()) && s.get("loss").getAsFloat() > 0, s.toString());
            assertTrue(s.get("lr").getAsDouble() > 0 && s.get("lr").getAsDouble() <= 5e-4 * (1 + 1e-9), s.toString());
            assertTrue(s.get("logit_scale").getAsFloat() <= (float) Math.log(100) + 1e-6f);
            if (mode == TrainConfig.Mode.CML) {
                float c = s.get("contrastive").getAsFloat(), t = s.get("triplet").getAsFloat();
                // total = contrastive + λ·triplet with λ = 1
                assertEquals(c + t, s.get("loss").getAsFloat(), 1e-4f * Math.max(1, Math.abs(c + t)));
            } else {
                assertFalse(s.has("triplet"));
            }
        }
        if (mode == TrainConfig.Mode.CML) assertEquals(32, epochs.get(0).get("clusters").getAsInt()); // min(40, 64 / 2)

        Clip loaded = ClipCheckpoint.load(run.resolve("last.safetensors"), Backends.defaultBackend());
        var expected = model.namedParameters();
        var actual = loaded.namedParameters();
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet())
            assertArrayEquals(e.getValue().toArray(), actual.get(e.getKey()).toArray(), e.getKey());
        assertFalse(Arrays.equals(tiny(1).namedParameters().get("visual.conv1.weight").toArray(),
                expected.get("visual.conv1.weight").toArray()), "training changed no weight");

        JsonObject state = JsonParser.parseString(Files.readString(run.resolve("state.json"))).getAsJsonObject();
        assertEquals(2, state.get("epoch").getAsInt());
        assertEquals(8, state.get("step").getAsLong());
        assertTrue(state.get("finished").getAsBoolean());
        assertEquals(mode.name().toLowerCase(), state.getAsJsonObject("config").get("mode").getAsString());
    }

    /** Sixteen fixed pairs, constant lr: the tiny model memorises them, so InfoNCE must fall well below ln 16. */
    @Test
    void infoNceFallsClearlyOnAFixedBatch() {
        Clip model = tiny(5);
        TrainConfig config = TrainConfig.defaults(TrainConfig.Mode.CLS).withBatch(16).withLr(1e-3).withAugment(false)
                .withWeightDecay(0);
        var trainer = new ContrastiveTrainer(model, tokenizer, config);
        trainer.setSchedule(LrSchedule.constant(1e-3));
        int r = model.config().imageResolution();
        BatchLoader.Batch b;
        try (var loader = new BatchLoader(dataset, new ImagePipeline(new ClipTransform(r), null, 0), 16, 0, false, 0, 2, 1)) {
            b = loader.next();
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) texts.add(dataset.get(b.indices()[i]).text() + " case " + i);
        int[][] tokens = tokenizer.tokenize(texts, model.config().contextLength(), true);
        Tensor images = Tensor.of(Backends.defaultBackend(), b.pixels(), 16, 3, r, r);
        double expectedFirst = symmetricInfoNce(model, images, tokens);
        float first = Float.NaN, last = Float.NaN;
        for (int s = 0; s < 60; s++) {
            float loss = trainer.step(images, tokens, null, 0).loss();
            if (s == 0) first = loss;
            last = loss;
        }
        // At initialisation the 16-way softmax is close to uniform: loss ≈ ln 16 ≈ 2.77.
        assertEquals(Math.log(16), first, 1.0, "initial loss");
        // Exactly: step 0's loss is the symmetric InfoNCE of the untouched model's features, recomputed here in
        // double from the encoders' outputs (tolerance: float matmuls and parallel sums, not bitwise reproducible).
        assertEquals(expectedFirst, first, 1e-4 * expectedFirst, "step 0 loss vs InfoNCE recomputed from the features");
        assertTrue(last < 0.3 * first, "loss fell only from " + first + " to " + last);
    }

    /** (CE(logits, arange) + CE(logitsᵀ, arange)) / 2 with logits = exp(logit scale) · cos(img_i, txt_j), in double. */
    private static double symmetricInfoNce(Clip model, Tensor images, int[][] tokens) {
        float[] img, txt;
        double scale;
        try (var g = org.cxrclip.engine.Autograd.noGrad()) {
            img = model.encodeImage(images).toArray();
            txt = model.encodeText(tokens).toArray();
            scale = Math.exp(model.logitScale.item());
        }
        int n = tokens.length, d = img.length / n;
        double[][] logits = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double dot = 0, a = 0, c = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) img[i * d + k] * txt[j * d + k];
                    a += (double) img[i * d + k] * img[i * d + k];
                    c += (double) txt[j * d + k] * txt[j * d + k];
                }
                logits[i][j] = scale * dot / Math.sqrt(a * c);
            }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double rowMax = Double.NEGATIVE_INFINITY, colMax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                rowMax = Math.max(rowMax, logits[i][j]);
                colMax = Math.max(colMax, logits[j][i]);
            }
            double rowSum = 0, colSum = 0;
            for (int j = 0; j < n; j++) {
                rowSum += Math.exp(logits[i][j] - rowMax);
                colSum += Math.exp(logits[j][i] - colMax);
            }
            loss += (rowMax + Math.log(rowSum) - logits[i][i]) + (colMax + Math.log(colSum) - logits[i][i]);
        }
        return loss / (2 * n);
    }

    @Test
    void aNonFiniteLossStopsBeforeAnyUpdateAndNamesTheStep(@TempDir Path run) {
        Clip model = tiny(2);
        model.logitScale.assign(new float[] {Float.NaN});
        float[] before = model.namedParameters().get("visual.conv1.weight").toArray();
        TrainConfig config = TrainConfig.defaults(TrainConfig.Mode.CLS).withEpochs(1).withBatch(16).withLoaderThreads(1)
                .withLogitScale(org.cxrclip.train.loss.LogitScale.Policy.NONE);
        var e = assertThrows(TrainingDivergedException.class, () -> new ContrastiveTrainer(model, tokenizer, config).fit(dataset, run));
        assertEquals(0, e.step());
        assertTrue(e.getMessage().contains("step 0"), e.getMessage());
        assertArrayEquals(before, model.namedParameters().get("visual.conv1.weight").toArray());
        assertFalse(Files.exists(run.resolve("last.safetensors")));
    }

    /** One epoch, resume, one more epoch: the same weights and metrics as two epochs without a break. */
    @Test
    void aResumedRunEqualsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
        TrainConfig config = TrainConfig.defaults(TrainConfig.Mode.CLS).withEpochs(2).withBatch(16).withLr(5e-4).withSeed(9)
                .withLoaderThreads(2);
        Clip straight = tiny(4);
        new ContrastiveTrainer(straight, tokenizer, config).fit(dataset, tmp.resolve("a"));

        new ContrastiveTrainer(tiny(4), tokenizer, config).fit(dataset, tmp.resolve("b"), 1);
        Clip resumed = tiny(77); // different init: every weight must come from the checkpoint
        var result = new ContrastiveTrainer(resumed, tokenizer, config).resumeFrom(tmp.resolve("b")).fit(dataset, tmp.resolve("b"));
        assertEquals(8, result.steps());

        // The engine's parallel sums are not bitwise reproducible from run to run, so compare to a tolerance
        // far below what a lost optimiser state or a wrong schedule step would change.
        List<String> la = Files.readAllLines(tmp.resolve("a/metrics.jsonl")), lb = Files.readAllLines(tmp.resolve("b/metrics.jsonl"));
        assertEquals(la.size(), lb.size());
        for (int i = 0; i < la.size(); i++) {
            JsonObject x = JsonParser.parseString(la.get(i)).getAsJsonObject(), y = JsonParser.parseString(lb.get(i)).getAsJsonObject();
            assertEquals(x.keySet(), y.keySet());
            assertEquals(x.get("type"), y.get("type"));
            assertEquals(x.get("epoch"), y.get("epoch"));
            if (x.has("lr")) assertEquals(x.get("lr").getAsDouble(), y.get("lr").getAsDouble(), 1e-15, la.get(i));
            String loss = x.has("loss") ? "loss" : "mean_loss";
            assertEquals(x.get(loss).getAsDouble(), y.get(loss).getAsDouble(), 1e-3, la.get(i) + " vs " + lb.get(i));
        }
        for (var e : straight.namedParameters().entrySet()) {
            float[] x = e.getValue().toArray(), y = resumed.namedParameters().get(e.getKey()).toArray();
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-4f + 1e-3f * Math.abs(x[i]), e.getKey() + "[" + i + "]");
        }
    }
}
