package org.cxrclip.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Rng;

/**
 * Patient-level splits: train/val (e.g. 80:20) and k-fold, seeded, patient-disjoint by construction (a
 * patient is the unit assigned) and stratified by iterative stratification over patients (Sechidis, Tsoumakas
 * &amp; Vlahavas 2011): each patient carries the count of its positive images per label; the rarest label
 * still unassigned is handled first, and each patient with it goes to the part that most lacks that label
 * (ties: the part that most lacks patients, then a seeded coin). So every label with at least as many
 * positive patients as parts reaches every part whenever the rarer labels leave room.
 *
 * <p>Deterministic: patients are sorted by key, then shuffled with the seed, before assignment; the input
 * order of samples does not matter.
 */
public final class PatientSplits {
    private PatientSplits() {}

    /** Split name per patient key: "train" for about (1 − valFraction) of patients, "val" for the rest. */
    public static Map<String, String> trainVal(Dataset data, double valFraction, long seed) {
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        Map<String, Integer> part = assign(data, new double[] {1 - valFraction, valFraction}, seed);
        Map<String, String> out = new LinkedHashMap<>();
        part.forEach((p, k) -> out.put(p, k == 0 ? "train" : "val"));
        return out;
    }

    /** Fold 0..k−1 per patient key, folds of about equal patient count. */
    public static Map<String, Integer> kFold(Dataset data, int k, long seed) {
        if (k < 2) throw new IllegalArgumentException("k-fold needs k >= 2, got " + k);
        double[] f = new double[k];
        Arrays.fill(f, 1.0 / k);
        return assign(data, f, seed);
    }

    /** Part index per patient key for parts of the given fractions (summing to 1). */
    public static Map<String, Integer> assign(Dataset data, double[] fractions, long seed) {
        Map<String, List<Integer>> byPatient = data.byPatient();
        List<String> keys = new ArrayList<>(byPatient.keySet());
        keys.sort(null);
        Rng rng = new Rng(seed);
        for (int i = keys.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = keys.get(i);
            keys.set(i, keys.get(j));
            keys.set(j, t);
        }
        int n = keys.size(), labels = data.labelNames().size(), parts = fractions.length;
        int[][] counts = new int[n][labels];  // (patient, label) positive images
        for (int p = 0; p < n; p++)
            for (int i : byPatient.get(keys.get(p)))
                for (int l = 0; l < labels; l++) if (data.get(i).positive(l)) counts[p][l]++;
        int[] part = assign(counts, fractions, rng);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) out.put(keys.get(p), part[p]);
        return out;
    }

    /**
     * The core over a (patients, labels) count matrix; returns the part per patient row. Exposed for tests.
     */
    static int[] assign(int[][] counts, double[] fractions, Rng rng) {
        int n = counts.length, parts = fractions.length, labels = n == 0 ? 0 : counts[0].length;
        double[] wantPatients = new double[parts];
        double[][] wantLabel = new double[parts][labels];
        int[] remaining = new int[labels];
        for (int[] c : counts) for (int l = 0; l < labels; l++) remaining[l] += c[l];
        for (int j = 0; j < parts; j++) {
            wantPatients[j] = fractions[j] * n;
            for (int l = 0; l < labels; l++) wantLabel[j][l] = fractions[j] * remaining[l];
        }
        int[] part = new int[n];
        Arrays.fill(part, -1);
        int left = n;
        while (left > 0) {
            int label = -1;
            for (int l = 0; l < labels; l++)
                if (remaining[l] > 0 && (label < 0 || remaining[l] < remaining[label])) label = l;
            for (int p = 0; p < n; p++) {
                if (part[p] >= 0 || (label >= 0 && counts[p][label] == 0)) continue;
                int best = -1;
                for (int j = 0; j < parts; j++) {
                    if (best < 0) { best = j; continue; }
                    int cmp = label < 0 ? 0 : Double.compare(wantLabel[j][label], wantLabel[best][label]);
                    if (cmp == 0) cmp = Double.compare(wantPatients[j], wantPatients[best]);
                    if (cmp > 0 || (cmp == 0 && rng.nextInt(2) == 0)) best = j;
                }
                part[p] = best;
                left--;
                wantPatients[best] -= 1;
                for (int l = 0; l < labels; l++) {
                    wantLabel[best][l] -= counts[p][l];
                    remaining[l] -= counts[p][l];
                }
            }
            if (label < 0) break;  // patients without positives: all placed by patient count above
        }
        return part;
    }
}
