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

    @Override
    public Integer call() throws IOException {
        model.validate();
        Dataset data = ManifestDataset.load(manifest, LoadOptions.defaults().withLog(new PrintStream(PrintStream.nullOutputStream())));
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
        float[] scores = new float[te.n * l];
        Set<String> rare = new HashSet<>();
        for (int j = 0; j < l; j++) {
            float[] y = column(tr.labels, tr.n, l, j);
            int pos = 0;
            for (float v : y) if (v == 1f) pos++;
            if (pos < rareThreshold) rare.add(labels.get(j));
            if (pos == 0 || pos == tr.n) continue; // one class in train: no model; its test scores stay constant (AUC 0.5)
            float[] s = new LogisticRegression(c).fit(tr.x, y, tr.n, d).decision(te.x, te.n);
            for (int i = 0; i < te.n; i++) scores[i * l + j] = s[i];
        }
        AucSummary summary = AucSummary.of(labels, scores, te.labels, te.n, rare, 1000, seed);
        Files.createDirectories(out);
        ZeroShotCommand.writeAtomically(out.resolve("auc.csv"), summary.csv());
        org.cxrclip.train.report.EvalPlots.write(out, new org.cxrclip.train.metrics.ScoredLabels(labels, scores, te.labels, te.n), summary, "linear probe");
        System.out.printf("linear-probe: train %d images, test %d images, %d labels (%d rare) -> %s%n", tr.n, te.n, l,
                rare.size(), out.resolve("auc.csv"));
        System.out.println(summary.line());
        return 0;
    }

    private record Features(float[] x, float[] labels, int n) {}

    /** L2-normalised features and 0/1 labels (uncertain and blank as 0) of the readable images. */
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
            for (int j = 0; j < l; j++) y[i * l + j] = lab[j] == 1f ? 1f : 0f;
        }
        return new Features(x, y, f.count());
    }

    private static float[] column(float[] m, int n, int l, int j) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = m[i * l + j];
        return c;
    }
}
