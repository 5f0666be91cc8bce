package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.metrics.ScoreTable;
import org.cxrclip.train.trainer.FineTuner;
import org.cxrclip.train.trainer.TrainingLoop;

/**
 * {@code cxrclip train cls|cml|ft --folds K}: patient-level K-fold cross-validation of a training recipe, as the
 * papers' tables. Every manifest row takes part (a split column is ignored); for fold i a fresh model (same
 * --preset/--weights and seed) is trained on the other K − 1 folds into {@code RUN/fold-i/}, then scored on
 * fold i — zero-shot for cls and cml ("present" prompts, CLIP preprocessing), by the fine-tuned head for ft —
 * with rare = fewer than --rare-threshold positives in the training folds, and the files of {@link EvalReport}
 * in the same folder; {@code RUN/folds.csv} gets mean ± sd per group.
 */
final class FoldRunner {
    /** The training command's own recipe for one fold: a trainer for a freshly loaded model. */
    interface Recipe {
        TrainingLoop trainer(Clip fresh, List<String> labels);
    }

    static final String PROMPTS = "present";

    private final Path manifest, out;
    private final int folds;
    private final ModelOptions model;
    private final boolean resume;
    private final String mode;
    private final int rareThreshold;

    FoldRunner(String mode, Path manifest, Path out, Integer folds, ModelOptions model, boolean resume, int rareThreshold) {
        this.rareThreshold = rareThreshold;
        this.mode = mode;
        this.manifest = manifest;
        this.out = out;
        this.folds = folds;
        this.model = model;
        this.resume = resume;
    }

    /** Trains and scores every fold; {@code trainRows} picks the training rows a fold's model sees (e.g. those with text). */
    int train(SimpleTokenizer tokenizer, Recipe recipe, java.util.function.UnaryOperator<Dataset> trainRows) throws IOException {
        if (folds < 2) throw new IllegalArgumentException("--folds must be >= 2, got " + folds);
        if (resume) throw new IllegalArgumentException("--resume cannot be combined with --folds (rerun the folds instead)");
        Dataset data = ManifestDataset.load(manifest, LoadOptions.defaults().withLog(new PrintStream(PrintStream.nullOutputStream())));
        List<String> labels = data.labelNames();
        if (labels.isEmpty())
            throw new IllegalArgumentException(manifest + ": --folds scores each held-out fold and needs label columns");
        int[] fold = EvalFolds.foldOf(data, folds, model.seed);
        System.out.printf("train %s: %d images, %d patient folds, model %s -> %s%n", mode, data.size(), folds, model.describe(), out);
        EvalFolds.run(out, folds, "train " + mode, (i, dir) -> {
            List<Sample> trainPart = new ArrayList<>(), testPart = new ArrayList<>();
            for (int s = 0; s < data.size(); s++) (fold[s] == i ? testPart : trainPart).add(data.get(s));
            if (trainPart.size() < 2 || testPart.isEmpty())
                throw new IllegalArgumentException("fold " + i + ": " + trainPart.size() + " train and " + testPart.size() + " test images");
            System.out.printf("train %s: fold %d/%d, train on %d images, evaluate on %d%n", mode, i + 1, folds, trainPart.size(),
                    testPart.size());
            TrainingLoop trainer = recipe.trainer(model.load(), labels);
            Dataset train = data.withSamples(trainPart), test = data.withSamples(testPart);
            trainer.fit(trainRows.apply(train), dir);
            EvalReport.Evaluated scored = finetuned()
                    ? EvalReport.of(trainer.evaluate(test, 0), test, train, manifest)
                    : zeroShot(trainer.model(), tokenizer, manifest, labels, trainPart, testPart);
            return EvalReport.write(dir, scored, rareThreshold, meta(dir, i), model.seed);
        });
        return 0;
    }

    /** Zero-shot scores of the held-out images with the trained model; truths are the samples' labels (1 / 0). */
    static EvalReport.Evaluated zeroShot(Clip clip, SimpleTokenizer tokenizer, Path manifest, List<String> labels,
                                         List<Sample> train, List<Sample> test) {
        ClipEncoder encoder = new ClipEncoder(clip, 32);
        ZeroShotClassifier classifier = new ZeroShotClassifier(PromptStyle.parse(PROMPTS), labels, encoder, tokenizer,
                clip.config().embedDim());
        ClipEncoder.ImageFeatures f = encoder.encodeImages(test.stream().map(Sample::image).toList(),
                new ClipTransform(clip.config().imageResolution()), Progress.counter("zero-shot: images", test.size()));
        for (ClipEncoder.Skipped s : f.skipped()) System.err.println("zero-shot: skipped " + s.file() + ": " + s.reason());
        float[] scores = classifier.score(f.features(), f.count());
        Map<Path, Sample> byImage = new HashMap<>();
        for (Sample s : test) byImage.putIfAbsent(s.image(), s);
        int l = labels.size();
        float[] truth = new float[f.count() * l];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < f.count(); i++) {
            Sample s = byImage.get(f.files().get(i));
            ids.add(EvalReport.imageId(manifest, s.image()));
            for (int j = 0; j < l; j++) truth[i * l + j] = Float.isNaN(s.labels()[j]) ? Float.NaN : s.positive(j) ? 1f : 0f;
        }
        int[] positives = new int[l];
        for (Sample s : train) for (int j = 0; j < l; j++) if (s.positive(j)) positives[j]++;
        return new EvalReport.Evaluated(new ScoreTable(ids, labels, truth, scores), positives);
    }

    private boolean finetuned() {
        return mode.equals("ft");
    }

    private Map<String, Object> meta(Path dir, int fold) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "train " + mode + " --folds, " + (finetuned() ? "the linear head's logits" : "zero-shot") + " on the held-out fold");
        m.put("weights", dir.resolve("last.safetensors").toAbsolutePath().toString());
        if (finetuned()) m.put("head", dir.resolve(FineTuner.HEAD).toAbsolutePath().toString());
        m.put("initial", model.describe());
        m.put("manifest", manifest.toAbsolutePath().toString());
        if (!finetuned()) m.put("prompts", PROMPTS);
        m.put("transform", "clip");
        m.put("uncertain", "negative");
        return EvalFolds.foldMeta(m, fold, folds, model.seed);
    }
}
