package org.cxrclip.train.report;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.metrics.ScoredLabels;

/**
 * report.md of a run folder and its plots, rewritten whole (atomically) after every epoch: the configuration,
 * a table of the epochs (mean loss, validation loss and macro AUC, lr, skipped images), loss.png and lr.png
 * drawn from metrics.jsonl, the per-class AUC bars and ROC curves of the latest evaluation (validation during
 * training, the test split at the end of fine-tuning) and the count of unreadable images listed in skipped.txt.
 */
public final class RunReport {
    public static final String REPORT = "report.md", LOSS = "loss.png", LR = "lr.png", SKIPPED = "skipped.txt";

    private final Path dir;
    private final Map<String, Object> config;
    private final Map<Path, String> skipped;

    /** @param skipped unreadable image → reason, as listed in skipped.txt */
    public RunReport(Path dir, Map<String, Object> config, Map<Path, String> skipped) {
        this.dir = dir;
        this.config = new LinkedHashMap<>(config);
        this.skipped = Map.copyOf(skipped);
    }

    /**
     * Rewrites the plots and report.md; {@code summary}/{@code scored} (may be null) give the AUC section,
     * {@code title} says what was scored (e.g. "validation, epoch 3").
     */
    public void write(AucSummary summary, ScoredLabels scored, String title) throws IOException {
        MetricsLog m = MetricsLog.read(dir.resolve("metrics.jsonl"));
        Map<String, double[][]> loss = new LinkedHashMap<>();
        loss.put("step loss", MetricsLog.series(m.steps(), "step", "loss"));
        loss.put("epoch mean", endOfEpoch(m.epochs(), "mean_loss"));
        loss.put("validation loss", endOfEpoch(m.epochs(), "val_loss"));
        AtomicFiles.writePng(dir.resolve(LOSS), CurveChart.image("Training loss", "optimiser step", "loss", loss, 720, 420));
        AtomicFiles.writePng(dir.resolve(LR), CurveChart.image("Learning rate", "optimiser step", "lr",
                Map.of("lr", MetricsLog.series(m.steps(), "step", "lr")), 720, 420));
        boolean plots = summary != null && scored != null;
        if (plots) EvalPlots.write(dir, scored, summary, title);

        StringBuilder b = new StringBuilder("# Training run\n\n");
        b.append("Updated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" after ").append(m.epochs().size())
                .append(" epoch(s), ").append(m.steps().size()).append(" optimiser steps.\n\n");
        b.append("## Configuration\n\n| key | value |\n|---|---|\n");
        config.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\n## Epochs\n\n| epoch | steps done | mean loss | val loss | val macro AUC | next lr | skipped images |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (JsonObject e : m.epochs())
            b.append("| ").append(e.get("epoch").getAsInt() + 1).append(" | ").append(fmt(MetricsLog.number(e, "steps_done"), "%.0f"))
                    .append(" | ").append(fmt(MetricsLog.number(e, "mean_loss"), "%.4f")).append(" | ")
                    .append(fmt(MetricsLog.number(e, "val_loss"), "%.4f")).append(" | ").append(fmt(MetricsLog.number(e, "val_auc"), "%.4f"))
                    .append(" | ").append(fmt(MetricsLog.number(e, "next_lr"), "%.3g")).append(" | ")
                    .append(fmt(MetricsLog.number(e, "skipped_images"), "%.0f")).append(" |\n");
        b.append("\n## Curves\n\n![loss](").append(LOSS).append(")\n\n![learning rate](").append(LR).append(")\n");
        if (plots) {
            b.append("\n## Per-class AUC (").append(title).append(")\n\n`").append(summary.line()).append("` (")
                    .append(summary.total().classes()).append(" labels with both classes; rare = ")
                    .append(summary.rare().classes()).append(")\n\n");
            if (!Double.isNaN(summary.total().lo()))
                b.append(String.format(Locale.ROOT, "Bootstrap 95%% intervals: total [%s, %s], base [%s, %s], rare [%s, %s].%n%n",
                        fmt(summary.total().lo(), "%.4f"), fmt(summary.total().hi(), "%.4f"), fmt(summary.base().lo(), "%.4f"),
                        fmt(summary.base().hi(), "%.4f"), fmt(summary.rare().lo(), "%.4f"), fmt(summary.rare().hi(), "%.4f")));
            b.append("| label | group | AUC |\n|---|---|---|\n");
            for (int j = 0; j < summary.labels().size(); j++)
                b.append("| ").append(summary.labels().get(j)).append(" | ").append(summary.rareClass()[j] ? "rare" : "base")
                        .append(" | ").append(fmt(summary.perClass()[j], "%.4f")).append(" |\n");
            b.append("\n![per-class AUC](").append(EvalPlots.AUC).append(")\n");
            if (Files.isRegularFile(dir.resolve(EvalPlots.ROC))) b.append("\n![ROC curves](").append(EvalPlots.ROC).append(")\n");
        }
        b.append("\n## Skipped images\n\n").append(skipped.size()).append(" unreadable image(s)")
                .append(skipped.isEmpty() ? ".\n" : ", listed with the reason in " + SKIPPED + ".\n");
        AtomicFiles.writeString(dir.resolve(REPORT), b.toString());
    }

    /** {steps_done, field} per epoch line: epoch values placed at the step where the epoch ended. */
    private static double[][] endOfEpoch(List<JsonObject> epochs, String field) {
        double[][] xy = MetricsLog.series(epochs, "steps_done", field);
        for (int i = 0; i < xy[0].length; i++) xy[0][i] -= 1; // the last step index of the epoch
        return xy;
    }

    private static String fmt(double v, String pattern) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, pattern, v);
    }
}
