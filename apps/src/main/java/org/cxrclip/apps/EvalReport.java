package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrclip.train.data.UncertainPolicy;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.metrics.ScoreTable;
import org.cxrclip.train.report.AtomicFiles;

/**
 * The files every evaluation of a labelled test set writes into its folder, so that runs can be compared
 * later ({@code eval compare}) without the model: {@code scores.csv} (truth and score per image and label),
 * {@code auc.csv} (per class and macro total/base/rare with bootstrap 95 % intervals) and {@code eval.json}
 * (what produced them: command, weights, manifest, prompts, rare threshold, the train positives that decided
 * base / rare, seeds). Every file is written atomically (temp file, fsync, rename).
 */
final class EvalReport {
    private EvalReport() {}

    /** A scored test set and the train-split positives per label (same order as the table's labels). */
    record Evaluated(ScoreTable table, int[] trainPositives) {}

    /**
     * A trainer's scores of {@code test} (e.g. a fine-tuned head's logits) as an evaluated table: ids are the
     * images as the manifest names them, truths are the scored labels, base / rare come from {@code train}.
     */
    static Evaluated of(org.cxrclip.train.trainer.TrainingLoop.Evaluation ev, org.cxrclip.train.data.Dataset test,
                        org.cxrclip.train.data.Dataset train, Path manifest) {
        List<String> ids = new ArrayList<>(ev.rows().length);
        for (int r : ev.rows()) ids.add(imageId(manifest, test.get(r).image()));
        var s = ev.scored();
        return new Evaluated(new ScoreTable(ids, s.labels(), s.truth(), s.scores()), train.positives());
    }

    /** Writes the three files into {@code dir} and returns the AUC summary (bootstrap seeded by {@code seed}). */
    static AucSummary write(Path dir, Evaluated e, int rareThreshold, Map<String, Object> meta, long seed) throws IOException {
        List<String> labels = e.table().labels();
        Set<String> rare = new HashSet<>();
        Map<String, Object> positives = new LinkedHashMap<>();
        List<String> rareList = new ArrayList<>();
        for (int j = 0; j < labels.size(); j++) {
            positives.put(labels.get(j), e.trainPositives()[j]);
            if (e.trainPositives()[j] < rareThreshold) {
                rare.add(labels.get(j));
                rareList.add(labels.get(j));
            }
        }
        AucSummary summary = AucSummary.of(labels, e.table().scores(), e.table().truth(), e.table().size(), rare, 1000, seed);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("scores.csv"), e.table().csv());
        AtomicFiles.writeString(dir.resolve("auc.csv"), summary.csv());
        Map<String, Object> json = new LinkedHashMap<>(meta);
        json.put("rare_threshold", rareThreshold);
        json.put("bootstrap_seed", seed);
        json.put("test_images", e.table().size());
        json.put("labels", labels);
        json.put("train_positives", positives);
        json.put("rare", rareList);
        AtomicFiles.writeString(dir.resolve("eval.json"), Json.compact(json) + "\n");
        org.cxrclip.train.report.EvalPlots.write(dir, new org.cxrclip.train.metrics.ScoredLabels(labels, e.table().scores(),
                e.table().truth(), e.table().size()), summary, String.valueOf(meta.getOrDefault("command", "evaluation")));
        return summary;
    }

    /** Parses --uncertain: negative (−1 → 0, the papers' default), positive (−1 → 1) or ignore (left out of the AUC). */
    static UncertainPolicy uncertain(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "negative", "zero" -> UncertainPolicy.ZERO;
            case "positive", "one" -> UncertainPolicy.ONE;
            case "ignore" -> UncertainPolicy.IGNORE;
            default -> throw new IllegalArgumentException("--uncertain must be negative, positive or ignore, got '" + s + "'");
        };
    }

    /** A label after the policy as the metrics see it: 1, 0, or NaN (ignored uncertain). */
    static float truth(UncertainPolicy policy, float raw) {
        float v = policy.apply(raw);
        return Float.isNaN(v) ? Float.NaN : v == 1f ? 1f : 0f;
    }

    /** The image path as the manifest gives it: relative to the manifest's folder when inside it. */
    static String imageId(Path manifest, Path image) {
        Path dir = manifest.toAbsolutePath().getParent();
        Path abs = image.toAbsolutePath().normalize();
        return (abs.startsWith(dir) ? dir.relativize(abs) : abs).toString().replace('\\', '/');
    }

}
