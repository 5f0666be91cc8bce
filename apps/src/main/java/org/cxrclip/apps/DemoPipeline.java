package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;
import org.cxrclip.clustering.AdjustedRandIndex;
import org.cxrclip.clustering.GaussianMixture;
import org.cxrclip.clustering.Mixture;
import org.cxrclip.clustering.MixtureOptions;
import org.cxrclip.clustering.StudentTMixture;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.PatientSplits;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.synth.CxrLtClasses;
import org.cxrclip.train.synth.SynthDataset;
import org.cxrclip.train.trainer.ContrastiveTrainer;
import org.cxrclip.train.trainer.TrainConfig;

/**
 * The demo's steps, in order: synthesise the long-tailed benchmark → split by patient (train / val / test,
 * stratified) → one initialisation of the preset, saved → for each method: train from that initialisation,
 * embed the test images, zero-shot score them with "&lt;label&gt; is present" prompts, macro AUC total/base/rare
 * with bootstrap intervals, and the mixture-vs-labels diagnostic (ARI). Each step's wall time is kept.
 */
final class DemoPipeline {
    /** The split data set and what it took to make. */
    record Data(Dataset all, Dataset train, Dataset val, Dataset test, double synthSeconds, int[] trainPositives,
                int[] testPositives, Set<String> rare) {}

    /** What one method's run produced. steps rows: step, loss, contrastive (NaN for CLS), triplet (NaN for CLS). */
    record MethodResult(DemoMethod method, AucSummary auc, AucSummary rawCosineAuc, double trainSeconds, double evalSeconds, List<double[]> steps,
                        double lastEpochLoss, Ari ari, float[] testEmbeddings, int dim) {}

    /**
     * Agreement of a mixture fitted (as CXR-CML does, same family, ν and K) on L2-normalised test-image
     * embeddings with the ground-truth label combinations: ARI against the exact label set of each image and
     * against the first positive label.
     */
    record Ari(double labelSet, double firstLabel, int k) {}

    private final DemoSettings s;
    private final Path out;
    private final SimpleTokenizer tokenizer;
    private final PrintStream log;

    DemoPipeline(DemoSettings settings, Path out, SimpleTokenizer tokenizer, PrintStream log) {
        this.s = settings;
        this.out = out;
        this.tokenizer = tokenizer;
        this.log = log;
    }

    Data synthesise() throws IOException {
        long t0 = System.nanoTime();
        Path manifest = SynthDataset.generate(out.resolve("data"), new SynthDataset.Options(s.n(), s.seed(), s.size(), s.minPrevalence()),
                d -> { });
        double synth = seconds(t0);
        Dataset all = ManifestDataset.load(manifest, LoadOptions.defaults().withLog(null));
        Map<String, Integer> part = PatientSplits.assign(all, DemoSettings.SPLIT, s.seed());
        Map<String, String> names = new HashMap<>();
        part.forEach((p, k) -> names.put(p, k == 0 ? "train" : k == 1 ? "val" : "test"));
        all = all.withSplits(names);
        Dataset train = all.split("train"), val = all.split("val"), test = all.split("test");
        Set<String> rare = new HashSet<>();
        for (CxrLtClasses.CxrClass c : CxrLtClasses.all()) if (c.rare()) rare.add(c.name());
        log.printf(Locale.ROOT, "demo: %d synthetic images of %d px in %.1f s; %d patients -> train %d, val %d, test %d images%n",
                s.n(), s.size(), synth, part.size(), train.size(), val.size(), test.size());
        return new Data(all, train, val, test, synth, train.positives(), test.positives(), rare);
    }

    /** The one initialisation every method starts from, written to init.safetensors and read back per method. */
    Path initialise() throws IOException {
        Clip init = ClipCheckpoint.loadOrCreate(null, s.preset(), s.seed(), Backends.defaultBackend());
        Path file = out.resolve("init.safetensors");
        ClipCheckpoint.save(init, file, Map.of("format", "pt", "cxrclip_preset", s.preset(), "cxrclip_seed", Long.toString(s.seed())));
        return file;
    }

    /** Diagnostic on the untrained model: how well the mixture's clusters follow the labels before any training. */
    Ari initialAri(Path init, Data data) throws IOException {
        Clip model = ClipCheckpoint.load(init, Backends.defaultBackend());
        float[] emb = embed(model, data.test());
        return ari(emb, model.config().embedDim(), data.test());
    }

    MethodResult run(DemoMethod m, Path init, Data data) throws IOException {
        Clip model = ClipCheckpoint.load(init, Backends.defaultBackend());
        TrainConfig config = s.trainConfig(m);
        Path runDir = out.resolve("runs").resolve(m.name());
        log.printf(Locale.ROOT, "demo: training %s (%s): %d images, %d epochs, batch %d, lr %g%s%n", m.name(), m.title(),
                data.train().size(), s.epochs(), s.batch(), s.lr(),
                m.isCls() ? "" : ", K " + s.k() + ", nu " + s.nuName() + ", lambda " + DemoSettings.fmt(s.lambda()));
        long t0 = System.nanoTime();
        var result = new ContrastiveTrainer(model, tokenizer, config).withLog(log).fit(data.train(), runDir);
        double train = seconds(t0);
        long t1 = System.nanoTime();
        int dim = model.config().embedDim();
        float[] emb = embed(model, data.test());
        List<String> labels = data.all().labelNames();
        var classifier = new ZeroShotClassifier(PromptStyle.PRESENT, labels, new ClipEncoder(model, 64), tokenizer, dim);
        int n = data.test().size(), l = labels.size();
        float[] cosines = classifier.score(emb, n);
        float[] truth = new float[n * l];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < l; j++) truth[i * l + j] = data.test().get(i).positive(j) ? 1f : 0f;
        AucSummary auc = AucSummary.of(labels, centred(cosines, n, l), truth, n, data.rare(), s.bootstrap(), s.seed());
        // The raw cosine is the secondary number: fewer resamples keep the evaluation short.
        AucSummary raw = AucSummary.of(labels, cosines, truth, n, data.rare(), Math.min(200, s.bootstrap()), s.seed());
        Ari ari = ari(emb, dim, data.test());
        double eval = seconds(t1);
        log.printf(Locale.ROOT, "demo: %s: %s (raw cosine: %s; train %.0f s, eval %.0f s)%n", m.name(), auc.line(),
                raw.line().substring(4), train, eval);
        return new MethodResult(m, auc, raw, train, eval, readSteps(runDir.resolve("metrics.jsonl")), result.lastEpochMeanLoss(), ari,
                emb, dim);
    }

    /**
     * The demo's zero-shot score: cos(image, "&lt;label&gt; is present") minus the image's mean cosine over all label
     * prompts. CLIP ranks an image's labels by a softmax over the prompts; subtracting the per-image mean is that
     * softmax's limit at low temperature and removes an offset that is the same for every label of an image (an
     * embedding that lies close to all prompts), which otherwise ranks images by how "prompt-like" they are rather
     * than by the label. cosines (n, L) row-major; returns a new array.
     */
    static float[] centred(float[] cosines, int n, int l) {
        float[] out = new float[n * l];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int j = 0; j < l; j++) mean += cosines[i * l + j];
            mean /= l;
            for (int j = 0; j < l; j++) out[i * l + j] = (float) (cosines[i * l + j] - mean);
        }
        return out;
    }

    /** Test-image embeddings (n, D) in data-set order, before normalisation. */
    private float[] embed(Clip model, Dataset test) {
        List<Path> files = test.samples().stream().map(Sample::image).toList();
        var f = new ClipEncoder(model, 64).encodeImages(files, new ClipTransform(model.config().imageResolution()), null);
        if (!f.skipped().isEmpty())
            throw new IllegalStateException(f.skipped().get(0).file() + ": cannot read a synthetic test image: " + f.skipped().get(0).reason());
        return f.features();
    }

    private Ari ari(float[] emb, int dim, Dataset test) {
        int n = test.size();
        float[] x = ClipEncoder.normalizeRows(emb.clone(), dim);
        int k = Math.max(1, Math.min(s.k(), n / 2));
        MixtureOptions o = MixtureOptions.defaults(k).withSeed(s.seed()).withRegCovar(1e-4);
        Mixture mixture = s.family() == TrainConfig.Family.GAUSSIAN ? new GaussianMixture(o) : StudentTMixture.fixedNu(o, s.nu());
        int[] clusters = mixture.fit(x, n, dim).labels();
        Map<String, Integer> sets = new HashMap<>();
        int[] bySet = new int[n], byFirst = new int[n];
        for (int i = 0; i < n; i++) {
            float[] y = test.get(i).labels();
            StringBuilder key = new StringBuilder();
            int first = -1;
            for (int j = 0; j < y.length; j++)
                if (y[j] == 1f) {
                    key.append(j).append(',');
                    if (first < 0) first = j;
                }
            bySet[i] = sets.computeIfAbsent(key.toString(), q -> sets.size());
            byFirst[i] = first;
        }
        return new Ari(AdjustedRandIndex.of(clusters, bySet), AdjustedRandIndex.of(clusters, byFirst), k);
    }

    /** (step, loss, contrastive, triplet) from the trainer's metrics.jsonl step lines. */
    static List<double[]> readSteps(Path metrics) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            if (!line.contains("\"type\":\"step\"")) continue;
            rows.add(new double[] {number(line, "step"), number(line, "loss"), number(line, "contrastive"), number(line, "triplet")});
        }
        return rows;
    }

    private static double number(String json, String key) {
        String k = "\"" + key + "\":";
        int at = json.indexOf(k);
        if (at < 0) return Double.NaN;
        int from = at + k.length(), to = from;
        while (to < json.length() && ",}".indexOf(json.charAt(to)) < 0) to++;
        String v = json.substring(from, to).trim();
        return v.equals("null") ? Double.NaN : Double.parseDouble(v);
    }

    /** A seeded subsample of at most {@code max} row indices of [0, n), in increasing order. */
    static int[] subsample(int n, int max, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (n <= max) return idx;
        Rng rng = new Rng(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, max);
        Arrays.sort(out);
        return out;
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
