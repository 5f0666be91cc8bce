package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.PatientSplits;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.probe.LogisticRegression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip eval linear-probe}: frozen, L2-normalised CLIP image features; one L2-regularised logistic
 * regression per label (sklearn's C = 1 by default, as the thesis' probe) fitted on the train split, scored on
 * the test split. The split is the manifest's {@code split} column (train / test), else a seeded, stratified
 * 80:20 patient split. Rare labels have fewer than {@code --rare-threshold} positives in the train split.
 */
@Command(name = "linear-probe", mixinStandardHelpOptions = true,
        description = "Linear probe: logistic regression per label on frozen image features; AUC with bootstrap CIs.")
final class LinearProbeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Labelled manifest.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (auc.csv).")
    Path out;

    @Option(names = "--c", defaultValue = "1.0", description = "Inverse regularisation strength C (default ${DEFAULT-VALUE}).")
    double c;

    @Option(names = "--rare-threshold", defaultValue = "1000", description = "Rare: fewer train positives than this (default ${DEFAULT-VALUE}).")
    int rareThreshold;

    @Option(names = "--split-seed", defaultValue = "0", description = "Seed of the patient split and the bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--transform", defaultValue = "clip", description = "clip or chexzero preprocessing (default ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--uncertain", defaultValue = "negative", paramLabel = "negative|positive|ignore",
            description = "Uncertain (-1) labels: negative (papers), positive, or ignore (left out of fit and AUC). Default ${DEFAULT-VALUE}.")
    String uncertain;

    @Option(names = "--folds", paramLabel = "K", description = "Patient-level K-fold over all rows: fit on K-1 folds, "
            + "test on the held-out one, into DIR/fold-i/; mean ± sd per group into DIR/folds.csv.")
    Integer folds;

    @Override
    public Integer call() throws IOException {
        model.validate();
        if (folds != null && folds < 2) throw new IllegalArgumentException("--folds must be >= 2, got " + folds);
        org.cxrclip.train.data.UncertainPolicy policy = EvalReport.uncertain(uncertain);
        Dataset data = ManifestDataset.load(manifest, LoadOptions.defaults().withUncertain(policy)
                .withLog(new PrintStream(PrintStream.nullOutputStream())));
        if (folds != null) return crossValidate(data);
        boolean hasSplit = data.samples().stream().anyMatch(s -> "test".equals(s.split()));
        if (!hasSplit) {
            data = data.withSplits(PatientSplits.trainVal(data, 0.2, seed));
            data = data.withSamples(data.samples().stream().map(s -> s.withSplit("val".equals(s.split()) ? "test" : s.split())).toList());
        }
        Dataset train = data.split("train"), test = data.split("test");
        if (train.size() == 0 || test.size() == 0)
            throw new IllegalArgumentException(manifest + ": needs train and test images (train " + train.size() + ", test " + test.size() + ")");
        List<String> labels = data.labelNames();
        if (labels.isEmpty()) throw new IllegalArgumentException(manifest + ": no label columns");

        Clip clip = model.load();
        ClipEncoder encoder = new ClipEncoder(clip, batch);
        ImageInputOptions pre = new ImageInputOptions();
        pre.transform = transform;
        Features tr = features(encoder, pre, clip, train), te = features(encoder, pre, clip, test);
        int d = clip.config().embedDim(), l = labels.size();
        int[] positives = positives(tr.labels, tr.n, l);
        float[] scores = probe(tr, te, l, d, c);
        Set<String> rare = new HashSet<>();
        for (int j = 0; j < l; j++) if (positives[j] < rareThreshold) rare.add(labels.get(j));
        Files.createDirectories(out);
        AucSummary summary = EvalReport.write(out, new EvalReport.Evaluated(te.table(manifest, labels, scores), positives),
                rareThreshold, meta(), seed);
        System.out.printf("linear-probe: train %d images, test %d images, %d labels (%d rare) -> %s%n", tr.n, te.n, l,
                rare.size(), out.resolve("auc.csv"));
        System.out.println(summary.line());
        return 0;
    }

    /** K-fold: every image encoded once; per fold a probe fitted on the other folds scores the held-out one. */
    private int crossValidate(Dataset data) throws IOException {
        List<String> labels = data.labelNames();
        if (labels.isEmpty()) throw new IllegalArgumentException(manifest + ": no label columns");
        int[] sampleFold = EvalFolds.foldOf(data, folds, seed);
        java.util.Map<Path, Integer> foldByImage = new java.util.HashMap<>();
        for (int i = 0; i < data.size(); i++) foldByImage.putIfAbsent(data.get(i).image(), sampleFold[i]);
        Clip clip = model.load();
        ClipEncoder encoder = new ClipEncoder(clip, batch);
        ImageInputOptions pre = new ImageInputOptions();
        pre.transform = transform;
        Features all = features(encoder, pre, clip, data);
        int d = clip.config().embedDim(), l = labels.size();
        int[] fold = all.files.stream().mapToInt(foldByImage::get).toArray();
        System.out.printf("linear-probe: %d images, %d labels, %d patient folds -> %s%n", all.n, l, folds, out);
        EvalFolds.run(out, folds, "linear-probe", (i, dir) -> {
            Features tr = all.rows(EvalFolds.rows(fold, i, false), l, d), te = all.rows(EvalFolds.rows(fold, i, true), l, d);
            if (tr.n == 0 || te.n == 0) throw new IllegalArgumentException("fold " + i + ": no train or no test images");
            return EvalReport.write(dir, new EvalReport.Evaluated(te.table(manifest, labels, probe(tr, te, l, d, c)),
                    positives(tr.labels, tr.n, l)), rareThreshold, EvalFolds.foldMeta(meta(), i, folds, seed), seed);
        });
        return 0;
    }

    private java.util.Map<String, Object> meta() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("command", "linear-probe");
        m.put("weights", model.weights == null ? null : model.weights.toAbsolutePath().toString());
        m.put("preset", model.preset);
        m.put("model_seed", model.seed);
        m.put("manifest", manifest.toAbsolutePath().toString());
        m.put("prompts", null);
        m.put("transform", transform);
        m.put("uncertain", uncertain);
        m.put("c", c);
        m.put("split_seed", seed);
        return m;
    }

    /** Test scores (te.n, L): one logistic regression per label on the train rows whose label is known. */
    static float[] probe(Features tr, Features te, int l, int d, double c) {
        float[] scores = new float[te.n * l];
        for (int j = 0; j < l; j++) {
            float[] y = column(tr.labels, tr.n, l, j);
            int known = 0, pos = 0;
            for (float v : y) if (!Float.isNaN(v)) {
                known++;
                if (v == 1f) pos++;
            }
            if (pos == 0 || pos == known) continue; // one class in train: no model; its test scores stay constant (AUC 0.5)
            float[] x = tr.x, yk = y;
            if (known < tr.n) {  // uncertain labels ignored: fit on the rows that have one
                x = new float[known * d];
                yk = new float[known];
                for (int i = 0, k = 0; i < tr.n; i++)
                    if (!Float.isNaN(y[i])) {
                        System.arraycopy(tr.x, i * d, x, k * d, d);
                        yk[k++] = y[i];
                    }
            }
            float[] s = new LogisticRegression(c).fit(x, yk, known, d).decision(te.x, te.n);
            for (int i = 0; i < te.n; i++) scores[i * l + j] = s[i];
        }
        return scores;
    }

    private static int[] positives(float[] y, int n, int l) {
        int[] p = new int[l];
        for (int i = 0; i < n; i++) for (int j = 0; j < l; j++) if (y[i * l + j] == 1f) p[j]++;
        return p;
    }

    /** Features (n, d), labels (n, L) of the readable images {@code files}. */
    private record Features(float[] x, float[] labels, int n, List<Path> files) {
        Features rows(int[] rows, int l, int d) {
            float[] rx = new float[rows.length * d], ry = new float[rows.length * l];
            List<Path> rf = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(x, rows[i] * d, rx, i * d, d);
                System.arraycopy(labels, rows[i] * l, ry, i * l, l);
                rf.add(files.get(rows[i]));
            }
            return new Features(rx, ry, rows.length, rf);
        }

        org.cxrclip.train.metrics.ScoreTable table(Path manifest, List<String> names, float[] scores) {
            return new org.cxrclip.train.metrics.ScoreTable(files.stream().map(f -> EvalReport.imageId(manifest, f)).toList(),
                    names, labels, scores);
        }
    }

    /** L2-normalised features and labels (1, 0, NaN for an ignored uncertain label) of the readable images. */
    private static Features features(ClipEncoder encoder, ImageInputOptions pre, Clip clip, Dataset part) {
        List<Path> files = part.samples().stream().map(Sample::image).toList();
        ClipEncoder.ImageFeatures f = encoder.encodeImages(files, pre.transform(clip.config().imageResolution()),
                Progress.counter("linear-probe: images", files.size()));
        for (ClipEncoder.Skipped s : f.skipped()) System.err.println("linear-probe: skipped " + s.file() + ": " + s.reason());
        int d = f.dim(), l = part.labelNames().size();
        float[] x = ClipEncoder.normalizeRows(f.features(), d);
        java.util.Map<Path, Sample> byImage = new java.util.HashMap<>();
        for (Sample s : part.samples()) byImage.putIfAbsent(s.image(), s);
        float[] y = new float[f.count() * l];
        List<Path> kept = new ArrayList<>(f.files());
        for (int i = 0; i < kept.size(); i++) {
            float[] lab = byImage.get(kept.get(i)).labels();
            for (int j = 0; j < l; j++) y[i * l + j] = Float.isNaN(lab[j]) ? Float.NaN : lab[j] == 1f ? 1f : 0f;
        }
        return new Features(x, y, f.count(), kept);
    }

    private static float[] column(float[] m, int n, int l, int j) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = m[i * l + j];
        return c;
    }
}
