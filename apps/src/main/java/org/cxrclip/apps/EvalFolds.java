package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.metrics.FoldSummary;
import org.cxrclip.train.report.AtomicFiles;

/**
 * Patient-level K-fold cross-validation of an evaluation: fold i is the test set, the other K − 1 folds are
 * its train split (what a linear probe or a training run fits on, and whose positives decide base / rare).
 * Each fold's files go to {@code DIR/fold-i/} (see {@link EvalReport}); {@code DIR/folds.csv} holds the macro
 * AUC per fold and group with mean and sd, printed as {@code folds=K total=M±S base=M±S rare=M±S} and a last
 * line {@code auc total=X base=Y rare=Z} of the means.
 */
final class EvalFolds {
    private EvalFolds() {}

    /** Evaluates fold i (train on the others) into the given folder; returns its summary. */
    interface Fold {
        AucSummary run(int fold, Path dir) throws IOException;
    }

    /** The fold of each sample, from the seeded patient-level k-fold split. */
    static int[] foldOf(Dataset data, int k, long seed) {
        if (k < 2) throw new IllegalArgumentException("--folds must be >= 2, got " + k);
        Map<String, Integer> byPatient = org.cxrclip.train.data.PatientSplits.kFold(data, k, seed);
        if (byPatient.size() < k)
            throw new IllegalArgumentException("--folds " + k + " needs at least " + k + " patients, the data has " + byPatient.size());
        int[] f = new int[data.size()];
        for (int i = 0; i < f.length; i++) f[i] = byPatient.get(Dataset.patientKey(data.get(i)));
        return f;
    }

    /** Runs every fold, then writes folds.csv and prints the summary; returns it. */
    static FoldSummary run(Path out, int k, String command, Fold fold) throws IOException {
        List<AucSummary> summaries = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Path dir = out.resolve("fold-" + i);
            AucSummary s = fold.run(i, dir);
            summaries.add(s);
            System.out.println(command + ": fold " + i + " " + s.line() + " -> " + dir);
        }
        FoldSummary summary = new FoldSummary(summaries);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("folds.csv"), summary.csv());
        System.out.println(command + ": " + summary.table() + " -> " + out.resolve("folds.csv"));
        System.out.println(summary.line());
        return summary;
    }

    /** Positives per label (1 after the policy) over the rows with {@code fold[i] != held}. */
    static int[] trainPositives(float[] truth, int labels, int[] rowFold, int held) {
        int[] p = new int[labels];
        for (int i = 0; i < rowFold.length; i++)
            if (rowFold[i] != held) for (int j = 0; j < labels; j++) if (truth[i * labels + j] == 1f) p[j]++;
        return p;
    }

    /** Row indices with {@code fold[i] == held} (test) or {@code != held} (train). */
    static int[] rows(int[] rowFold, int held, boolean test) {
        return java.util.stream.IntStream.range(0, rowFold.length).filter(i -> (rowFold[i] == held) == test).toArray();
    }

    /** eval.json fields shared by every fold, with the fold's own index and count added. */
    static Map<String, Object> foldMeta(Map<String, Object> meta, int fold, int k, long seed) {
        Map<String, Object> m = new LinkedHashMap<>(meta);
        m.put("fold", fold);
        m.put("folds", k);
        m.put("fold_seed", seed);
        return m;
    }
}
