package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.metrics.ScoredLabels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --schedule plateau in the shared loop, with a trainer whose validation loss is scripted: the loop must step
 * ReduceLROnPlateau once per epoch with it, use the new lr from the next epoch on, log it, and carry the
 * plateau's state across a resume.
 */
class PlateauWiringTest {
    @TempDir
    static Path dir;

    static Dataset train;

    @BeforeAll
    static void data() throws IOException {
        train = ManifestDataset.load(SquareImages.write(dir.resolve("data"), 8, 0, 0, false, 1), LoadOptions.defaults().withLog(null))
                .split("train");
    }

    /** The loss is the logit scale × 0 (a real graph, zero gradient); the validation loss is taken from a script. */
    static final class ScriptedLoop extends TrainingLoop {
        private final double[] valLoss;

        ScriptedLoop(Clip model, TrainConfig config, double... valLoss) {
            super(model, Map.of("logit_scale", model.logitScale), config);
            this.valLoss = valLoss;
        }

        @Override
        protected Forward forward(BatchLoader.Batch batch, Dataset d, int epoch) {
            return new Forward(Arithmetic.mul(model.logitScale, 0f), Map.of());
        }

        @Override
        public Evaluation evaluate(Dataset data, int epoch) {
            return new Evaluation(valLoss[epoch], new ScoredLabels(List.of(), new float[0], new float[0], 0), new int[0], List.of());
        }
    }

    private static TrainConfig config() {
        return TrainConfig.defaults(TrainConfig.Mode.FT).withEpochs(6).withBatch(4).withLr(1e-3).withLoaderThreads(1)
                .withSchedule(TrainConfig.Schedule.PLATEAU);
    }

    private static Clip tiny() {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), 1);
    }

    private static List<JsonObject> lines(Path run, String type) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(o -> o.get("type").getAsString().equals(type)).toList();
    }

    /** Losses 1.0, 0.9 (better), 0.95, 0.9, 0.91 (3 bad epochs > patience 2: lr × 0.1 after epoch 5), 0.5. */
    private static final double[] SCRIPT = {1.0, 0.9, 0.95, 0.9, 0.91, 0.5};

    @Test
    void theLrDropsTenfoldAfterMoreThanTwoEpochsWithoutImprovement() throws IOException {
        Path run = dir.resolve("a");
        new ScriptedLoop(tiny(), config(), SCRIPT).fit(train, train, run);
        List<JsonObject> steps = lines(run, "step"), epochs = lines(run, "epoch");
        assertEquals(12, steps.size());
        for (JsonObject s : steps) {
            double expected = s.get("epoch").getAsInt() < 5 ? 1e-3 : 1e-4;
            assertEquals(expected, s.get("lr").getAsDouble(), 1e-12, s.toString());
        }
        double[] next = epochs.stream().mapToDouble(e -> e.get("next_lr").getAsDouble()).toArray();
        assertEquals(1e-3, next[3], 1e-12);
        assertEquals(1e-4, next[4], 1e-12);
        assertEquals(0.91, epochs.get(4).get("val_loss").getAsDouble(), 1e-12);
    }

    @Test
    void aResumedRunContinuesThePatienceCount() throws IOException {
        Path run = dir.resolve("b");
        new ScriptedLoop(tiny(), config(), SCRIPT).fit(train, train, run, 4); // stops after 0.9 (2 bad epochs so far)
        var resumed = new ScriptedLoop(tiny(), config(), SCRIPT);
        resumed.resumeFrom(run);
        assertEquals(2, resumed.plateau().state().badEpochs());
        resumed.fit(train, train, run);
        List<JsonObject> steps = lines(run, "step");
        assertEquals(12, steps.size());
        assertEquals(1e-4, steps.get(11).get("lr").getAsDouble(), 1e-12);
        assertEquals(1e-3, steps.get(9).get("lr").getAsDouble(), 1e-12);
    }

    @Test
    void plateauWithoutAValidationSplitIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ScriptedLoop(tiny(), config(), SCRIPT).fit(train, null, dir.resolve("c")));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }
}
