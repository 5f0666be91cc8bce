package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunSplitsTest {
    private static Dataset data(int n, String... splits) {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < n; i++)
            s.add(new Sample(i, Path.of("i" + i + ".png"), "p" + i / 2, null, null, null, splits.length == 0 ? null : splits[i % splits.length],
                    new float[] {i % 3 == 0 ? 1 : 0}));
        return new Dataset(List.of("A"), s, null);
    }

    private static Set<String> patients(Dataset d) {
        Set<String> p = new HashSet<>();
        for (Sample s : d.samples()) p.add(s.patientId());
        return p;
    }

    @Test
    void withoutSplitsTrainValAndHeldOutArePatientDisjointAndCoverEverything() {
        RunSplits r = RunSplits.of(data(100), 3);
        assertTrue(r.heldOut());
        assertEquals(100, r.train().size() + r.val().size() + r.test().size());
        assertTrue(r.val().size() > 0 && r.test().size() > 0);
        Set<String> a = patients(r.train()), b = patients(r.val()), c = patients(r.test());
        assertFalse(a.removeAll(b) || a.removeAll(c) || b.removeAll(c), "a patient in two parts");
        assertEquals(RunSplits.of(data(100), 3).val().samples().stream().map(Sample::image).toList(),
                r.val().samples().stream().map(Sample::image).toList(), "not seeded");
        // The documented rule on 50 patients of 2 images each: 20 % of patients held out (10 patients, 20
        // images), then 10 % of the remaining 40 patients carved out as val (4 patients, 8 images). The
        // fractions times the patient counts are whole numbers, so the greedy assignment meets them exactly.
        assertEquals(10, patients(r.test()).size(), "held-out patients");
        assertEquals(4, patients(r.val()).size(), "val patients");
        assertEquals(36, patients(r.train()).size(), "train patients");
        assertEquals(20, r.test().size());
        assertEquals(8, r.val().size());
        assertEquals(72, r.train().size());
        // Stratified: patients p with p % 3 != 2 have one positive image (34 of 50). 20 % of them is 6.8, so
        // the held-out part gets 6 or 7 of them, not the 0..10 an unstratified split could give.
        long positiveHeldOut = patients(r.test()).stream().filter(p -> Integer.parseInt(p.substring(1)) % 3 != 2).count();
        assertTrue(positiveHeldOut == 6 || positiveHeldOut == 7, positiveHeldOut + " positive patients held out");
    }

    @Test
    void theManifestsSplitsAreUsedAsTheyAre() {
        RunSplits r = RunSplits.of(data(30, "train", "val", "test"), 0);
        assertFalse(r.heldOut());
        assertEquals(10, r.train().size());
        assertEquals(10, r.val().size());
        assertEquals(10, r.test().size());
    }

    @Test
    void trainWithoutValGetsAValidationPartCarvedOutOfItsPatients() {
        RunSplits r = RunSplits.of(data(40, "train", "test"), 0);
        assertEquals(20, r.test().size());
        assertEquals(20, r.train().size() + r.val().size());
        assertTrue(r.val().size() > 0);
        // The 20 train images belong to 20 patients; 10 % of them (2 patients, 2 images) become val.
        assertEquals(2, r.val().size(), "val = 10 % of train's 20 patients");
        assertEquals(18, r.train().size());
        Set<String> a = patients(r.train());
        assertFalse(a.removeAll(patients(r.val())));
    }

    @Test
    void aTinyTrainSplitKeepsAllItsImages() {
        RunSplits r = RunSplits.of(data(8, "train"), 0);
        assertEquals(8, r.train().size());
        assertEquals(0, r.val().size());
    }
}
