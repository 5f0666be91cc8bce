package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.cxrclip.engine.testing.SharedData;

/**
 * Bitwise reproducibility of training: the same seed gives the same losses and weights to the last bit, in one
 * process (where the first run is partly interpreted and the second JIT-compiled) and across a resume. Each
 * loss is compared through {@link Float#floatToRawIntBits}, never with a tolerance.
 */
class DeterminismTest {
    @TempDir
    static Path data;

    static SimpleTokenizer tokenizer;
    static Dataset dataset;

    @BeforeAll
    static void setUp() throws IOException {
        tokenizer = SimpleTokenizer.load(SharedData.vocabulary());
        Path csv = SynthDataset.generate(data.resolve("synth"), new SynthDataset.Options(48, 5, 32, 0), d -> { });
        dataset = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
    }

    private static Clip tiny(long seed) {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), seed);
    }

    private static TrainConfig config(int epochs) {
        return config(TrainConfig.Mode.CLS, epochs);
    }

    private static TrainConfig config(TrainConfig.Mode mode, int epochs) {
        // Augmentation on: the random affine and the sentence subsampling must be reproducible too.
        return TrainConfig.defaults(mode).withEpochs(epochs).withBatch(12).withLr(1e-3).withSeed(7)
                .withLoaderThreads(3);
    }

    /** (type, loss bits) of each metrics line, in order; epoch lines give their mean loss bits. */
    private static List<String> lossBits(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve(RunDirectory.METRICS))) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            String type = o.get("type").getAsString();
            if (type.equals("step"))
                out.add("step " + o.get("step").getAsLong() + " loss " + Float.floatToRawIntBits(o.get("loss").getAsFloat())
                        + " lr " + Double.doubleToRawLongBits(o.get("lr").getAsDouble())
                        + " grad_norm " + o.get("grad_norm") + " triplet " + o.get("triplet"));
            else
                out.add("epoch " + o.get("epoch").getAsInt() + " mean " + Double.doubleToRawLongBits(o.get("mean_loss").getAsDouble())
                        + " mixture " + o.get("mixture_mean_log_likelihood"));
        }
        return out;
    }

    private static void assertSameWeights(Clip a, Clip b) {
        for (var e : a.namedParameters().entrySet())
            assertArrayEquals(e.getValue().toArray(), b.namedParameters().get(e.getKey()).toArray(), e.getKey());
    }

    @ParameterizedTest
    @EnumSource(value = TrainConfig.Mode.class, names = {"CLS", "CML"})
    void twoSameSeedRunsInOneProcessGiveBitIdenticalLosses(TrainConfig.Mode mode, @TempDir Path tmp) throws IOException {
        Clip first = tiny(3), second = tiny(3);
        new ContrastiveTrainer(first, tokenizer, config(mode, 1)).fit(dataset, tmp.resolve("a"));
        new ContrastiveTrainer(second, tokenizer, config(mode, 1)).fit(dataset, tmp.resolve("b"));
        List<String> a = lossBits(tmp.resolve("a")), b = lossBits(tmp.resolve("b"));
        assertEquals(5, a.size()); // 4 steps + 1 epoch line
        assertEquals(a, b);
        assertSameWeights(first, second);
    }

    @Test
    void singleThreadResumeEqualsAnUninterruptedRunLossByLoss(@TempDir Path tmp) throws IOException {
        int before = Parallel.threads();
        Parallel.setThreads(1);
        try {
            Clip straight = tiny(4);
            new ContrastiveTrainer(straight, tokenizer, config(2)).fit(dataset, tmp.resolve("a"));

            new ContrastiveTrainer(tiny(4), tokenizer, config(2)).fit(dataset, tmp.resolve("b"), 1);
            Clip resumed = tiny(99); // another init: every weight must come from the checkpoint
            new ContrastiveTrainer(resumed, tokenizer, config(2)).resumeFrom(tmp.resolve("b")).fit(dataset, tmp.resolve("b"));

            List<String> a = lossBits(tmp.resolve("a")), b = lossBits(tmp.resolve("b"));
            assertEquals(10, a.size()); // 2 × (4 steps + 1 epoch line)
            assertEquals(a, b);
            assertSameWeights(straight, resumed);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
