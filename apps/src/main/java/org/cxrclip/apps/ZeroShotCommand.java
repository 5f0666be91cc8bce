package org.cxrclip.apps;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * {@code cxrclip eval zero-shot}: one score per image and label into {@code DIR/scores.csv}; with a labelled
 * manifest also {@code DIR/auc.csv} (per class, macro total/base/rare with bootstrap 95 % intervals) and a last
 * stdout line {@code auc total=X base=Y rare=Z} (macros over the labels that have both classes). A manifest with
 * a split column is scored on its test rows. Ground truth follows both papers' code: 1 is positive; 0, −1
 * (uncertain) and blank negative.
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

    @Override
    public Integer call() throws IOException {
        model.validate();
        input.requireAtMostOne();
        if (!input.given()) throw new IllegalArgumentException("give --images DIR or --manifest CSV");
        PromptStyle style = PromptStyle.parse(prompts);
        Manifest manifest = input.readManifest(labels);
        List<String> names = labels != null ? labels : manifest != null ? manifest.labelNames() : List.of();
        if (names.isEmpty())
            throw new IllegalArgumentException("no labels: give --labels \"A,B,...\" (the manifest has no label columns)");
        // With a split column, only the test rows are scored (as the papers evaluate); else every row.
        boolean hasTest = manifest != null && manifest.entries().stream().anyMatch(e -> "test".equals(e.split()));
        List<Path> files = manifest != null ? manifest.entries().stream()
                .filter(e -> !hasTest || "test".equals(e.split())).map(Manifest.Entry::image).toList()
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
        writeCsv(out.resolve("scores.csv"), "image," + csvRow(names), f.files(), scores, names.size());
        System.out.printf("zero-shot: %d images scored (%d skipped), %d labels, prompts %s -> %s%n", f.count(),
                f.skipped().size(), names.size(), prompts, out.resolve("scores.csv"));
        if (manifest != null && !manifest.labelNames().isEmpty()) reportAuc(manifest, names, f.files(), scores);
        return 0;
    }

    /**
     * Per-class AUC, macro total/base/rare with bootstrap intervals into auc.csv, and the last stdout line.
     * Rare = fewer than --rare-threshold positives among the manifest's train rows (all rows if it has no split).
     */
    private void reportAuc(Manifest manifest, List<String> names, List<Path> scored, float[] scores) throws IOException {
        java.util.Map<Path, Manifest.Entry> index = new java.util.HashMap<>();
        for (Manifest.Entry e : manifest.entries()) index.putIfAbsent(e.image(), e);
        int l = names.size(), n = scored.size();
        int[] cols = new int[l];
        for (int j = 0; j < l; j++) cols[j] = manifest.labelNames().indexOf(names.get(j));
        float[] truth = new float[n * l];
        for (int i = 0; i < n; i++) {
            float[] lab = index.get(scored.get(i)).labels();
            for (int j = 0; j < l; j++) truth[i * l + j] = lab[cols[j]] == 1f ? 1f : 0f; // −1 and blank: negative
        }
        boolean hasTrain = manifest.entries().stream().anyMatch(e -> "train".equals(e.split()));
        java.util.Set<String> rare = new java.util.HashSet<>();
        for (int j = 0; j < l; j++) {
            int pos = 0;
            for (Manifest.Entry e : manifest.entries())
                if ((!hasTrain || "train".equals(e.split())) && e.labels()[cols[j]] == 1f) pos++;
            if (pos < rareThreshold) rare.add(names.get(j));
        }
        AucSummary summary = AucSummary.of(names, scores, truth, n, rare, 1000, 0);
        writeAtomically(out.resolve("auc.csv"), summary.csv());
        org.cxrclip.train.report.EvalPlots.write(out, new org.cxrclip.train.metrics.ScoredLabels(names, scores, truth, n), summary, "zero-shot, " + prompts + " prompts");
        System.out.println(summary.line());
    }

    private static void writeCsv(Path file, String header, List<Path> rows, float[] values, int cols) throws IOException {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            b.append(csvField(rows.get(i).toString()));
            for (int j = 0; j < cols; j++) b.append(',').append(values[i * cols + j]);
            b.append('\n');
        }
        writeAtomically(file, b.toString());
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(content);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String csvRow(List<String> fields) {
        return String.join(",", fields.stream().map(ZeroShotCommand::csvField).toList());
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
