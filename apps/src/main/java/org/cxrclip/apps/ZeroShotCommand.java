package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;
import org.cxrclip.train.data.Manifest;
import org.cxrclip.train.metrics.AucSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.cxrclip.train.report.AtomicFiles;

/**
 * {@code cxrclip eval zero-shot}: one score per image and label into {@code DIR/scores.csv}; with a labelled
 * manifest the truth beside each score (see {@link EvalReport}), {@code DIR/eval.json}, {@code DIR/auc.csv} (per
 * class, macro total/base/rare with bootstrap 95 % intervals) and a last stdout line
 * {@code auc total=X base=Y rare=Z} (macros over the labels that have both classes). A manifest with a split
 * column is scored on its test rows. Ground truth follows both papers' code by default: 1 is positive; 0, −1
 * (uncertain) and blank negative ({@code --uncertain} changes −1).
 */
@Command(name = "zero-shot", mixinStandardHelpOptions = true,
        description = "Zero-shot scores for each image and label from prompt similarities.")
final class ZeroShotCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    ImageInputOptions input;

    @Option(names = "--labels", paramLabel = "A,B,...", split = ",",
            description = "Labels to score (default: the manifest's label columns).")
    List<String> labels;

    @Option(names = "--prompts", required = true, paramLabel = "STYLE",
            description = "present (CXR-CML), chexzero (CheXzero's label vs 'no label'), neutral-diff (Language over Labels).")
    String prompts;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rare-threshold", defaultValue = "1000",
            description = "Rare: fewer positives than this in the manifest's train rows (default ${DEFAULT-VALUE}).")
    int rareThreshold;

    @Option(names = "--uncertain", defaultValue = "negative", paramLabel = "negative|positive|ignore",
            description = "Uncertain (-1) labels: negative (papers), positive, or ignore (left out of the AUC). Default ${DEFAULT-VALUE}.")
    String uncertain;

    @Option(names = "--folds", paramLabel = "K", description = "Patient-level K-fold: score every image, evaluate each "
            + "fold (rare counted on the other folds) into DIR/fold-i/, mean ± sd per group into DIR/folds.csv.")
    Integer folds;

    @Option(names = "--split-seed", defaultValue = "0", description = "Seed of the patient split (manifest without a split column; use train's --seed), the folds and the bootstrap (default ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--held-out", description = "Manifest without a split column: score only the held-out 20 %% of patients of the "
            + "seeded patient split (--split-seed = train's --seed), the part `train` did not train on.")
    boolean heldOutOnly;

    @Override
    public Integer call() throws IOException {
        model.validate();
        input.requireAtMostOne();
        if (!input.given()) throw new IllegalArgumentException("give --images DIR or --manifest CSV");
        PromptStyle style = PromptStyle.parse(prompts);
        org.cxrclip.train.data.UncertainPolicy policy = EvalReport.uncertain(uncertain);
        Manifest manifest = input.readManifest(labels);
        if (folds != null && (manifest == null || manifest.labelNames().isEmpty()))
            throw new IllegalArgumentException("--folds needs a labelled --manifest");
        if (folds != null && folds < 2) throw new IllegalArgumentException("--folds must be >= 2, got " + folds);
        List<String> names = labels != null ? labels : manifest != null ? manifest.labelNames() : List.of();
        if (names.isEmpty())
            throw new IllegalArgumentException("no labels: give --labels \"A,B,...\" (the manifest has no label columns)");
        // With test rows, only they are scored (as the papers evaluate). A manifest without any split column is a
        // test set scored whole, unless --held-out asks for the held-out 20 % of patients of the seeded split that
        // `train` and `eval linear-probe` make of such a manifest with the same seed.
        boolean hasTest = folds == null && manifest != null && manifest.entries().stream().anyMatch(e -> "test".equals(e.split()));
        boolean noSplits = folds == null && manifest != null && !manifest.labelNames().isEmpty()
                && manifest.entries().stream().allMatch(e -> e.split() == null || e.split().isBlank());
        if (noSplits && heldOutOnly) heldOut = heldOutPatients(manifest, policy);
        else if (noSplits) System.out.printf("zero-shot: %s has no split column: scoring all its rows (if a model was trained "
                + "on it, give --held-out to score only the patients it held out)%n", manifest.file());
        else if (heldOutOnly) throw new IllegalArgumentException("--held-out is for manifests without a split column; "
                + manifest.file() + " has one (its test rows are scored)");
        List<Path> files = manifest != null ? manifest.entries().stream()
                .filter(e -> !hasTest || "test".equals(e.split()))
                .filter(e -> heldOut == null || heldOut.contains(key(e.image())))
                .map(Manifest.Entry::image).toList()
                : ImageInputOptions.listImages(input.images);
        SimpleTokenizer tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));

        Clip clip = model.load();
        ClipEncoder encoder = new ClipEncoder(clip, batch);
        ZeroShotClassifier classifier = new ZeroShotClassifier(style, names, encoder, tokenizer, clip.config().embedDim());
        ClipEncoder.ImageFeatures f = encoder.encodeImages(files, input.transform(clip.config().imageResolution()),
                Progress.counter("zero-shot: images", files.size()));
        for (ClipEncoder.Skipped s : f.skipped()) System.err.println("zero-shot: skipped " + s.file() + ": " + s.reason());
        float[] scores = classifier.score(f.features(), f.count());

        Files.createDirectories(out);
        boolean labelled = manifest != null && !manifest.labelNames().isEmpty();
        if (!labelled) writeCsv(out.resolve("scores.csv"), "image," + csvRow(names), f.files(), scores, names.size());
        System.out.printf("zero-shot: %d images scored (%d skipped), %d labels, prompts %s -> %s%n", f.count(),
                f.skipped().size(), names.size(), prompts, folds != null ? out : out.resolve("scores.csv"));
        if (labelled) reportAuc(manifest, names, f.files(), scores, policy);
        return 0;
    }

    /**
     * scores.csv (truth and score), auc.csv (per class, macro total/base/rare with bootstrap intervals) and
     * eval.json via {@link EvalReport}, and the last stdout line. Rare = fewer than --rare-threshold positives
     * among the manifest's train rows (all rows if it has no split); with --folds, among the other folds' rows.
     */
    /** Images of the held-out 20 % of patients when a manifest has no split column; null otherwise. */
    private java.util.Set<Path> heldOut;

    private java.util.Set<Path> heldOutPatients(Manifest manifest, org.cxrclip.train.data.UncertainPolicy policy) throws IOException {
        org.cxrclip.train.data.Dataset data = org.cxrclip.train.data.ManifestDataset.load(manifest.file(),
                org.cxrclip.train.data.LoadOptions.defaults().withUncertain(policy)
                        .withLog(new java.io.PrintStream(java.io.PrintStream.nullOutputStream())));
        data = data.withSplits(org.cxrclip.train.data.PatientSplits.trainVal(data, 0.2, splitSeed));
        java.util.Set<Path> out = new java.util.HashSet<>();
        for (org.cxrclip.train.data.Sample s : data.split("val").samples()) out.add(key(s.image()));
        System.out.printf("zero-shot: %s has no split column: scoring the held-out 20 %% of patients (split seed %d, as train "
                + "and linear-probe split it), %d images%n", manifest.file(), splitSeed, out.size());
        return out;
    }

    private static Path key(Path image) {
        return image.toAbsolutePath().normalize();
    }

    private void reportAuc(Manifest manifest, List<String> names, List<Path> scored, float[] scores,
                           org.cxrclip.train.data.UncertainPolicy policy) throws IOException {
        java.util.Map<Path, Manifest.Entry> index = new java.util.HashMap<>();
        for (Manifest.Entry e : manifest.entries()) index.putIfAbsent(e.image(), e);
        int l = names.size(), n = scored.size();
        int[] cols = new int[l];
        for (int j = 0; j < l; j++) cols[j] = manifest.labelNames().indexOf(names.get(j));
        float[] truth = new float[n * l];
        List<String> ids = new ArrayList<>(n);
        List<Manifest.Entry> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Manifest.Entry e = index.get(scored.get(i));
            rows.add(e);
            ids.add(EvalReport.imageId(manifest.file(), e.image()));
            for (int j = 0; j < l; j++) truth[i * l + j] = EvalReport.truth(policy, e.labels()[cols[j]]);
        }
        org.cxrclip.train.metrics.ScoreTable table = new org.cxrclip.train.metrics.ScoreTable(ids, names, truth, scores);
        java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("command", "zero-shot");
        meta.put("weights", model.weights == null ? null : model.weights.toAbsolutePath().toString());
        meta.put("preset", model.preset);
        meta.put("model_seed", model.seed);
        meta.put("manifest", manifest.file().toAbsolutePath().toString());
        meta.put("prompts", prompts);
        meta.put("transform", input.transform);
        meta.put("uncertain", uncertain);
        if (folds != null) {
            List<org.cxrclip.train.data.Sample> samples = new ArrayList<>();
            for (Manifest.Entry e : rows)
                samples.add(new org.cxrclip.train.data.Sample(e.row(), e.image(), e.patientId(), null, null, null, null,
                        java.util.Arrays.copyOfRange(truth, samples.size() * l, (samples.size() + 1) * l)));
            int[] fold = EvalFolds.foldOf(new org.cxrclip.train.data.Dataset(names, samples, null), folds, splitSeed);
            EvalFolds.run(out, folds, "zero-shot", (i, dir) -> EvalReport.write(dir, new EvalReport.Evaluated(
                    table.rows(EvalFolds.rows(fold, i, true)), EvalFolds.trainPositives(truth, l, fold, i)), rareThreshold,
                    EvalFolds.foldMeta(meta, i, folds, splitSeed), splitSeed));
            return;
        }
        boolean hasTrain = manifest.entries().stream().anyMatch(e -> "train".equals(e.split()));
        java.util.function.Predicate<Manifest.Entry> inTrain = heldOut != null ? e -> !heldOut.contains(key(e.image()))
                : e -> !hasTrain || "train".equals(e.split());
        int[] positives = new int[l];
        for (int j = 0; j < l; j++)
            for (Manifest.Entry e : manifest.entries())
                if (inTrain.test(e) && EvalReport.truth(policy, e.labels()[cols[j]]) == 1f) positives[j]++;
        meta.put("train_split", heldOut != null ? "patient split 80:20, seed " + splitSeed : hasTrain ? "train" : "all rows");
        AucSummary summary = EvalReport.write(out, new EvalReport.Evaluated(table, positives), rareThreshold, meta, splitSeed);
        System.out.println(summary.line());
    }

    private static void writeCsv(Path file, String header, List<Path> rows, float[] values, int cols) throws IOException {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            b.append(csvField(rows.get(i).toString()));
            for (int j = 0; j < cols; j++) b.append(',').append(values[i * cols + j]);
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static String csvRow(List<String> fields) {
        return String.join(",", fields.stream().map(ZeroShotCommand::csvField).toList());
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
