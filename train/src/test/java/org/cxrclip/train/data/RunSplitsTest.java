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
