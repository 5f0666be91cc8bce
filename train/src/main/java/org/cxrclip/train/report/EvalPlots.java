package org.cxrclip.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.metrics.ScoredLabels;

/**
 * The plots of an evaluation, written next to its auc.csv: {@code auc.png} (per-class AUC, base/rare) and
 * {@code roc.png} (ROC curves of the two most and two least prevalent labels with both classes).
 */
public final class EvalPlots {
    public static final String AUC = "auc.png", ROC = "roc.png";

    private EvalPlots() {}

    /** Writes both plots into {@code dir} (ROC only when some label has both classes); {@code what} titles them. */
    public static void write(Path dir, ScoredLabels scored, AucSummary summary, String what) throws IOException {
        AtomicFiles.writePng(dir.resolve(AUC), AucBarChart.image(summary, "Per-class AUC (" + what + ")"));
        List<Integer> chosen = RocChart.chosenLabels(scored, 2);
        if (!chosen.isEmpty())
            AtomicFiles.writePng(dir.resolve(ROC), RocChart.image(scored, chosen, "ROC (" + what + ")"));
    }
}
