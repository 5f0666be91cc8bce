package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.loss.InfoNceLoss;
import org.cxrclip.train.synth.SynthDataset;
import org.cxrclip.train.trainer.ContrastiveTrainer;
import org.cxrclip.train.trainer.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.cxrclip.engine.testing.SharedData;

/**
 * Data-parallel training without Spark: ranks are threads joined by a loopback ring. Two workers with half
 * the batch each must take the steps one worker takes with the whole batch (ContrastiveTrainer), and the
 * summed gradient of the gathered loss must equal the gradient of the single-machine loss computed here.
 */
class DataParallelTrainerTest {
    @TempDir
    static Path data;
    static SimpleTokenizer tokenizer;
    static Dataset dataset;

    @BeforeAll
    static void setUp() throws IOException {
        tokenizer = SimpleTokenizer.load(SharedData.vocabulary());
        Path csv = SynthDataset.generate(data.resolve("synth"), new SynthDataset.Options(12, 11, 32, 0), d -> { });
        dataset = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
    }

    static Clip tiny() {
        return new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), 5);
    }

    static TrainConfig config(TrainConfig.Mode mode) {
        // 12 images, batch 6: 2 steps per epoch, 4 steps.
        return TrainConfig.defaults(mode).withEpochs(2).withBatch(6).withLr(1e-4).withSeed(3).withAugment(false).withLoaderThreads(1);
    }

    record RankRun(DataParallelTrainer.Result result, Map<String, float[]> weights, List<Map<String, float[]>> gradients) {}

    static List<RankRun> distributed(int workers, TrainConfig config, Path run, long failAt) throws Exception {
        return distributed(workers, config, dataset, run, 2, failAt);
    }

    static List<RankRun> distributed(int workers, TrainConfig config, Dataset train, Path run, int checkpointEvery, long failAt)
            throws Exception {
        return RingCollectivesTest.onRing(workers, 1000, ring -> {
            Clip m = tiny();
            List<Map<String, float[]>> grads = new ArrayList<>();
            var t = new DataParallelTrainer(m, tokenizer, config, train, ring, run, checkpointEvery).withGradientProbe(grads::add);
            if (ring.rank() == workers - 1 && failAt >= 0) t.failing(new InjectedFailure(InjectedFailure.Kind.THROW, failAt));
            var res = t.run();
            return new RankRun(res, weights(m), grads);
        });
    }

    static Map<String, float[]> weights(Clip m) {
        Map<String, float[]> w = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) w.put(e.getKey(), e.getValue().toArray());
        return w;
    }

    static List<Float> stepLosses(Path metrics) throws IOException {
        Pattern p = Pattern.compile("\"type\":\"step\".*?\"loss\":([-0-9.eE+]+)");
        List<Float> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            Matcher m = p.matcher(line);
            if (m.find()) out.add(Float.parseFloat(m.group(1)));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = TrainConfig.Mode.class, names = {"CLS", "CML"})
    void twoWorkersWithHalfTheBatchEqualOneWorkerWithAllOfIt(TrainConfig.Mode mode, @TempDir Path tmp) throws Exception {
        // CML: one epoch only. Its mixture is refitted at each epoch start from the current weights, and the
        // labels are a discrete function of them: the ~1e-7 differences of a different summation order can move
        // an image to another component (seen at epoch 2 on this tiny set), after which the losses diverge.
        TrainConfig config = mode == TrainConfig.Mode.CML ? config(mode).withEpochs(1) : config(mode);
        int steps = 2 * config.epochs();
        Clip single = tiny();
        new ContrastiveTrainer(single, tokenizer, config).fit(dataset, tmp.resolve("single"));
        List<Float> want = stepLosses(tmp.resolve("single/metrics.jsonl"));
        assertEquals(steps, want.size());

        List<RankRun> ranks = distributed(2, config, tmp.resolve("dp"), -1);
        for (RankRun r : ranks) {
            assertEquals(steps, r.result().steps());
            for (int i = 0; i < steps; i++) assertEquals(want.get(i), r.result().losses().get(i), 1e-5f, "step " + i + " loss");
        }
        Map<String, float[]> w0 = ranks.get(0).weights(), w1 = ranks.get(1).weights(), ws = weights(single);
        for (String k : ws.keySet()) {
            assertArrayEquals(w0.get(k), w1.get(k), k + ": the ranks' weights differ"); // identical steps on identical sums
            assertArrayEquals(ws.get(k), w0.get(k), 2e-5f, k + ": differs from single-machine training");
        }
    }

    @Test
    void summedGradientOfTheGatheredLossIsTheSingleMachineGradient(@TempDir Path tmp) throws Exception {
        TrainConfig config = config(TrainConfig.Mode.CLS);
        List<RankRun> ranks = distributed(2, config, tmp, -1);

        // The first global batch, its loss and gradient on one model, computed directly.
        Clip m = tiny();
        int[] order = BatchLoader.order(dataset.size(), true, config.seed(), 0);
        var pipeline = new ImagePipeline(new ClipTransform(32), null, config.seed());
        float[] pixels = new float[6 * pipeline.stride()];
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pipeline.load(dataset.get(order[i]).image(), 0, order[i], pixels, i * pipeline.stride());
            texts.add(dataset.get(order[i]).text());
        }
        Tensor loss = new InfoNceLoss().forward(m.encodeImage(Tensor.of(pixels, 6, 3, 32, 32)),
                m.encodeText(tokenizer.tokenize(texts, 77, true)), m.logitScale);
        loss.backward();
        assertEquals(loss.item(), ranks.get(0).result().losses().get(0), 1e-5f);
        for (int r = 0; r < 2; r++) {
            Map<String, float[]> got = ranks.get(r).gradients().get(0);
            for (var e : m.namedParameters().entrySet()) {
                float[] want = e.getValue().grad().toArray();
                float scale = 0;
                for (float v : want) scale = Math.max(scale, Math.abs(v));
                assertArrayEquals(want, got.get(e.getKey()), 1e-4f * Math.max(scale, 1e-3f), "rank " + r + " " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void gatheredShardEmbeddingsEqualSingleProcessEmbeddingsOfTheSplit(int workers, @TempDir Path tmp) throws Exception {
        // Batch 5 over 12 rows: shards of whole batches, uneven ([0,5) [5,12) or [0,5) [5,10) [10,12)); row 7
        // names a missing file and must stay unread wherever it falls.
        List<org.cxrclip.train.data.Sample> samples = new ArrayList<>(dataset.samples());
        samples.set(7, samples.get(7).withImage(tmp.resolve("missing.png")));
        Dataset split = dataset.withSamples(samples);
        TrainConfig config = config(TrainConfig.Mode.CML).withBatch(5);
        List<org.cxrclip.train.trainer.PseudoLabeler.Embeddings> gathered = RingCollectivesTest.onRing(workers, 1000,
                ring -> new DataParallelTrainer(tiny(), tokenizer, config, split, ring, tmp.resolve("run"), 2).gatherEmbeddings(0));

        // The single-process pass that 'cxrclip train cml' fits on: the same batches, so the same bits.
        var single = org.cxrclip.train.trainer.PseudoLabeler.embed(tiny(), split, config, 0, 0, split.size());
        // And, independently, each image through ClipEncoder (own decoding path, batch 1), normalised here.
        Clip m = tiny();
        int d = m.config().embedDim();
        for (var g : gathered) {
            assertEquals(0, g.from());
            assertArrayEquals(single.seen(), g.seen());
            assertArrayEquals(single.x(), g.x(), "the gathered embeddings differ from the single-process ones");
        }
        var encoder = new org.cxrclip.clip.embed.ClipEncoder(m, 1);
        for (int i = 0; i < split.size(); i++) {
            var f = encoder.encodeImages(List.of(split.get(i).image()), new ClipTransform(32), null);
            assertEquals(i != 7, gathered.get(0).seen()[i], "row " + i + " readable");
            if (i == 7) {
                assertEquals(1, f.skipped().size());
                continue;
            }
            float[] want = org.cxrclip.clip.embed.ClipEncoder.normalizeRows(f.features(), d);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(gathered.get(workers - 1).x(), i * d, (i + 1) * d), 1e-5f, "row " + i);
        }
    }

    @Test
    void embeddingShardsAreWholeBatchesCoveringTheSplitInOrder() {
        for (int n : new int[] {1, 7, 12, 100})
            for (int b : new int[] {1, 4, 5, 64})
                for (int w = 1; w <= 5; w++) {
                    int at = 0;
                    for (int r = 0; r < w; r++) {
                        int[] s = DataParallelTrainer.embeddingShard(n, b, r, w);
                        assertEquals(at, s[0], "n " + n + " b " + b + " w " + w + " rank " + r);
                        assertTrue(s[0] % b == 0 || s[0] == n, "shard starts inside a batch: " + s[0]);
                        at = s[1];
                    }
                    assertEquals(n, at);
                }
    }

    @Test
    void aRankThatDiesMidRunIsResumedFromTheCheckpointWithNothingLost(@TempDir Path tmp) throws Exception {
        TrainConfig config = config(TrainConfig.Mode.CLS);
        List<RankRun> straight = distributed(2, config, tmp.resolve("straight"), -1);
        // Rank 1 dies before step 3; rank 0 loses its peer. The checkpoint of step 2 survives.
        var e = assertThrows(ExecutionException.class, () -> distributed(2, config, tmp.resolve("broken"), 3));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("before step 3")
                || e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        var committed = HadoopRunFolder.open(tmp.resolve("broken").toString(), new org.apache.hadoop.conf.Configuration()).latest();
        assertEquals(2, committed.step(), "the checkpoint committed last");
        assertTrue(!committed.finished());
        List<RankRun> resumed = distributed(2, config, tmp.resolve("broken"), -1);
        assertEquals(2, resumed.get(0).result().startStep());
        assertEquals(4, resumed.get(0).result().steps());
        // Same steps on the same data from exactly the saved state; the kernels' thread split may change the last bit.
        for (String k : straight.get(0).weights().keySet())
            assertArrayEquals(straight.get(0).weights().get(k), resumed.get(1).weights().get(k), 1e-6f, k);
        for (int i = 0; i < 2; i++)
            assertEquals(straight.get(0).result().losses().get(2 + i), resumed.get(0).result().losses().get(i), 1e-6f);
        assertTrue(Files.isRegularFile(tmp.resolve("broken/last.safetensors")));
        // metrics.jsonl came back with the checkpoint: each step once, as the uninterrupted run's, and the resume.
        List<Float> want = stepLosses(tmp.resolve("straight/metrics.jsonl")), got = stepLosses(tmp.resolve("broken/metrics.jsonl"));
        assertEquals(4, want.size());
        assertEquals(want.size(), got.size(), "step lines: " + got);
        for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), 1e-6f, "step " + i);
        assertTrue(Files.readString(tmp.resolve("broken/metrics.jsonl")).contains("{\"type\":\"resume\",\"step\":2,\"workers\":2}"));
        assertTrue(Files.readString(tmp.resolve("broken/state.json")).contains("\"step\":4,\"finished\":true"));
    }

    @Test
    void unreadableImagesAreSkippedAsOnOneMachineAndStayListedInSkippedTxtAfterAResume(@TempDir Path tmp) throws Exception {
        Path csv = SynthDataset.generate(tmp.resolve("synth"), new SynthDataset.Options(12, 11, 32, 0), d -> { });
        Dataset train = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
        // One epoch of two batches of 6; the first batch's rows 0-2 go to rank 0, rows 3-5 to rank 1.
        TrainConfig config = config(TrainConfig.Mode.CLS).withEpochs(1);
        int[] order = BatchLoader.order(train.size(), true, config.seed(), 0);
        Path readByRank0 = train.get(order[1]).image(), readByRank1 = train.get(order[4]).image();
        Files.writeString(readByRank0, "not an image");
        Files.writeString(readByRank1, "not an image either");

        Clip single = tiny();
        new ContrastiveTrainer(single, tokenizer, config).fit(train, tmp.resolve("single"));
        List<Float> want = stepLosses(tmp.resolve("single/metrics.jsonl"));
        assertEquals(2, want.size());

        // Rank 1 dies before step 1, after the checkpoint of step 1: the resumed run never sees the first batch again.
        Path run = tmp.resolve("dp");
        assertThrows(ExecutionException.class, () -> distributed(2, config, train, run, 1, 1));
        List<RankRun> resumed = distributed(2, config, train, run, 1, -1);
        assertEquals(1, resumed.get(0).result().startStep());
        List<Float> got = stepLosses(run.resolve("metrics.jsonl"));
        assertEquals(2, got.size(), "step lines: " + got);
        for (int i = 0; i < 2; i++) assertEquals(want.get(i), got.get(i), 1e-5f, "step " + i + ": 4 of the 6 rows, as on one machine");

        List<String> lines = Files.readAllLines(run.resolve("skipped.txt"));
        assertEquals(2, lines.size(), "skipped.txt: " + lines);
        assertTrue(lines.get(0).startsWith(readByRank0 + "\t") && !lines.get(0).contains("rank"), lines.get(0)); // rank 0's own reason
        assertTrue(lines.get(1).startsWith(readByRank1 + "\t") && lines.get(1).contains("unreadable on rank 1"), lines.get(1));
        assertEquals(2, Files.readAllLines(tmp.resolve("single/skipped.txt")).size());
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("\"skipped_images\":2"));
        assertTrue(Files.readString(run.resolve("report.md")).contains("2 unreadable image(s)"));
    }
}
