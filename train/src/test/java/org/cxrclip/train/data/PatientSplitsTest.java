package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

/** Properties of patient-level splits over random data sets: disjoint, deterministic, stratified. */
class PatientSplitsTest {
    private static final List<String> LABELS = List.of("A", "B", "C", "D");

    /**
     * Random data set: patients with 1–4 images each. With singleLabel every patient has at most one positive
     * label (on all its images), which makes "every label with >= parts positive patients reaches every part" a
     * guarantee of iterative stratification.
     */
    static Dataset random(long seed, boolean singleLabel) {
        Rng r = new Rng(seed);
        int patients = 5 + r.nextInt(60);
        List<Sample> samples = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            int images = 1 + r.nextInt(4);
            float[] y = new float[LABELS.size()];
            if (singleLabel) {
                int l = r.nextInt(LABELS.size() + 2);  // some patients without positives
                if (l < LABELS.size()) y[l] = 1;
            } else {
                for (int k = 0; k < y.length; k++) y[k] = r.nextDouble() < 0.1 * (k + 1) ? 1 : 0;
            }
            for (int i = 0; i < images; i++)
                samples.add(new Sample(samples.size(), Path.of("p" + p + "_" + i + ".png"), "p" + p, null, null, null, null, y.clone()));
        }
        return new Dataset(LABELS, samples, null);
    }

    @Test
    void kFoldIsPatientDisjointDeterministicAndOrderIndependent() {
        qt().withFixedSeed(11).withExamples(60).forAll(longs().all(), integers().between(2, 6)).checkAssert((seed, k) -> {
            Dataset d = random(seed, false);
            Map<String, Integer> folds = PatientSplits.kFold(d, k, seed);
            assertEquals(d.byPatient().keySet(), folds.keySet(), "every patient assigned exactly once");
            for (int f : folds.values()) assertTrue(f >= 0 && f < k);
            assertEquals(folds, PatientSplits.kFold(d, k, seed), "same seed, same folds");
            List<Sample> shuffled = new ArrayList<>(d.samples());
            Collections.shuffle(shuffled, new java.util.Random(seed));
            assertEquals(folds, PatientSplits.kFold(d.withSamples(shuffled), k, seed), "sample order does not matter");
            // After saving: the images of one patient never straddle two splits.
            Map<String, String> asSplit = new HashMap<>();
            folds.forEach((p, f) -> asSplit.put(p, f == 0 ? "val" : "train"));
            Map<String, Set<String>> seen = new HashMap<>();
            for (Sample s : d.withSplits(asSplit).samples()) seen.computeIfAbsent(s.patientId(), x -> new HashSet<>()).add(s.split());
            for (Set<String> s : seen.values()) assertEquals(1, s.size());
        });
    }

    @Test
    void everyLabelWithEnoughPatientsReachesEveryPart() {
        qt().withFixedSeed(12).withExamples(80).forAll(longs().all(), integers().between(2, 5)).checkAssert((seed, k) -> {
            Dataset d = random(seed, true);
            Map<String, Integer> folds = PatientSplits.kFold(d, k, seed);
            check(d, folds, k, k);
            Map<String, String> tv = PatientSplits.trainVal(d, 0.2, seed);
            Map<String, Integer> asInt = new HashMap<>();
            tv.forEach((p, s) -> asInt.put(p, s.equals("train") ? 0 : 1));
            check(d, asInt, 2, 5);  // 1 / 0.2 positive patients make one expected in val
        });
    }

    private static void check(Dataset d, Map<String, Integer> part, int parts, int enough) {
        for (int l = 0; l < LABELS.size(); l++) {
            Set<String> pos = new HashSet<>();
            boolean[] reached = new boolean[parts];
            for (Sample s : d.samples())
                if (s.positive(l)) {
                    pos.add(s.patientId());
                    reached[part.get(s.patientId())] = true;
                }
            if (pos.size() < enough) continue;
            for (int j = 0; j < parts; j++)
                assertTrue(reached[j], "label " + LABELS.get(l) + " with " + pos.size() + " patients misses part " + j);
        }
    }

    @Test
    void kFoldsHaveAboutEqualPatientCounts() {
        // Without labels patients are placed by count alone: fold sizes differ by at most one patient. With
        // labels the stratification may trade a few patients for label balance, never more than a quarter.
        for (int k = 2; k <= 6; k++) {
            List<Sample> s = new ArrayList<>();
            for (int p = 0; p < 53; p++) s.add(new Sample(p, Path.of(p + ".png"), "p" + p, null, null, null, null, new float[4]));
            int[] size = new int[k];
            for (int f : PatientSplits.kFold(new Dataset(LABELS, s, null), k, k).values()) size[f]++;
            int min = Arrays.stream(size).min().orElseThrow(), max = Arrays.stream(size).max().orElseThrow();
            assertTrue(max - min <= 1, "k=" + k + " fold sizes " + Arrays.toString(size));
        }
        for (long seed = 0; seed < 20; seed++) {
            Dataset d = random(seed, false);
            int k = 3, patients = d.byPatient().size();
            int[] size = new int[k];
            for (int f : PatientSplits.kFold(d, k, seed).values()) size[f]++;
            for (int f = 0; f < k; f++)
                assertTrue(Math.abs(size[f] - patients / (double) k) <= Math.max(2, patients / 4.0),
                        "seed " + seed + " fold sizes " + Arrays.toString(size));
        }
    }

    @Test
    void trainValHasAboutTheRequestedPatientFraction() {
        // 100 patients without labels: placed by patient count alone.
        List<Sample> s = new ArrayList<>();
        for (int p = 0; p < 100; p++) s.add(new Sample(p, Path.of(p + ".png"), "p" + p, null, null, null, null, new float[4]));
        Map<String, String> tv = PatientSplits.trainVal(new Dataset(LABELS, s, null), 0.2, 7);
        assertEquals(20, tv.values().stream().filter("val"::equals).count());
        assertTrue(!tv.equals(PatientSplits.trainVal(new Dataset(LABELS, s, null), 0.2, 8)), "another seed, another split");
    }

    @Test
    void iterativeStratificationBeatsChanceOnMultiLabelData() {
        // Sum over labels and folds of |positives in fold − positives/k|: stratified must be well below a random
        // patient assignment of the same sizes, averaged over data sets.
        double strat = 0, rand = 0;
        for (long seed = 0; seed < 40; seed++) {
            Dataset d = random(seed, false);
            Map<String, Integer> f = PatientSplits.kFold(d, 3, seed);
            List<Integer> shuffled = new ArrayList<>(f.values());
            Collections.shuffle(shuffled, new java.util.Random(seed));
            Map<String, Integer> g = new HashMap<>();
            int i = 0;
            for (String p : f.keySet()) g.put(p, shuffled.get(i++));
            strat += imbalance(d, f, 3);
            rand += imbalance(d, g, 3);
        }
        assertTrue(strat < 0.6 * rand, "stratified " + strat + " vs random " + rand);
    }

    private static double imbalance(Dataset d, Map<String, Integer> part, int k) {
        double[][] c = new double[k][LABELS.size()];
        int[] tot = new int[LABELS.size()];
        for (Sample s : d.samples())
            for (int l = 0; l < LABELS.size(); l++)
                if (s.positive(l)) {
                    c[part.get(s.patientId())][l]++;
                    tot[l]++;
                }
        double e = 0;
        for (int j = 0; j < k; j++) for (int l = 0; l < LABELS.size(); l++) e += Math.abs(c[j][l] - tot[l] / (double) k);
        return e;
    }
}
