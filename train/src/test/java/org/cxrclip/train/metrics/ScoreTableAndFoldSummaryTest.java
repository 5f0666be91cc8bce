package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreTableAndFoldSummaryTest {
    @TempDir
    Path dir;

    @Test
    void scoresCsvRoundTripsIncludingIgnoredTruthsAndQuotedNames() throws IOException {
        ScoreTable t = new ScoreTable(List.of("a/1.png", "b,2.png"), List.of("Edema", "Lung, other"),
                new float[] {1, Float.NaN, 0, 1}, new float[] {0.25f, -1.5f, 3e-8f, 0.1f});
        Path csv = dir.resolve("scores.csv");
        Files.writeString(csv, t.csv());
        assertEquals("image,Edema.truth,Edema.score,\"Lung, other.truth\",\"Lung, other.score\"", Files.readAllLines(csv).get(0));
        assertEquals("a/1.png,1,0.25,,-1.5", Files.readAllLines(csv).get(1));
        ScoreTable back = ScoreTable.read(csv);
        assertEquals(t.ids(), back.ids());
        assertEquals(t.labels(), back.labels());
        assertArrayEquals(t.truth(), back.truth());
        assertArrayEquals(t.scores(), back.scores());
        ScoreTable second = t.rows(new int[] {1});
        assertEquals(List.of("b,2.png"), second.ids());
        assertArrayEquals(new float[] {0, 1}, second.truth());
    }

    @Test
    void aBadScoresCsvNamesFileLineAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "image,A.truth,A.score\nx.png,2,0.5\n");
        IOException e = assertThrows(IOException.class, () -> ScoreTable.read(csv));
        assertTrue(e.getMessage().contains("bad.csv:2: A.truth is '2'"), e.getMessage());
        Files.writeString(csv, "image,A,B\nx.png,0.1,0.5\n");
        e = assertThrows(IOException.class, () -> ScoreTable.read(csv));
        assertTrue(e.getMessage().contains("are not a <label>.truth, <label>.score pair"), e.getMessage());
    }

    @Test
    void foldSummaryGivesMeanAndSampleSd() {
        // Three folds, one class each: AUCs 1.0, 0.5 and 0.75 (total = base; rare undefined).
        // Fold 2: positives {0.9, 0.1} vs negatives {0.5, 0.05}: 3 of 4 pairs ordered.
        float[][] scores = {{0.9f, 0.1f}, {0.5f, 0.5f}, {0.9f, 0.5f, 0.1f, 0.05f}};
        float[][] truth = {{1, 0}, {1, 0}, {1, 0, 1, 0}};
        List<AucSummary> folds = new java.util.ArrayList<>();
        for (int f = 0; f < 3; f++)
            folds.add(AucSummary.of(List.of("A"), scores[f], truth[f], truth[f].length, Set.of(), 10, 0));
        assertEquals(0.75, folds.get(2).total().auc(), 1e-12);
        FoldSummary s = new FoldSummary(folds);
        // mean 0.75; sd = sqrt((0.0625 + 0.0625 + 0) / 2) = 0.25
        assertArrayEquals(new double[] {0.75, 0.25}, s.meanSd(0), 1e-12);
        assertTrue(Double.isNaN(s.meanSd(2)[0]));
        assertEquals("folds=3 total=0.7500±0.2500 base=0.7500±0.2500 rare=nan±nan", s.table());
        assertEquals("auc total=0.7500 base=0.7500 rare=nan", s.line());
        assertEquals("fold,total,base,rare\n0,1.0000,1.0000,nan\n1,0.5000,0.5000,nan\n2,0.7500,0.7500,nan\n"
                + "mean,0.7500,0.7500,nan\nsd,0.2500,0.2500,nan\n", s.csv());
        assertThrows(IllegalArgumentException.class, () -> new FoldSummary(folds.subList(0, 1)));
    }
}
