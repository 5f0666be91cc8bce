package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearProbeCommandTest {
    @TempDir
    Path dir;

    @Test
    void probesEveryLabelAndReportsGroups() throws IOException {
        Path manifest = SynthDataset.generate(dir.resolve("synth"), new SynthDataset.Options(60, 3, 32, 0.05), done -> { });
        Path out = dir.resolve("lp");
        CommandRun r = CommandRun.of("eval", "linear-probe", "--preset", "tiny", "--manifest", manifest.toString(),
                "--rare-threshold", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().matches("auc total=\\d\\.\\d{4} base=(\\d\\.\\d{4}|nan) rare=(\\d\\.\\d{4}|nan)"), r.lastLine());
        List<String> csv = Files.readAllLines(out.resolve("auc.csv"));
        assertEquals("label,group,auc,ci_low,ci_high", csv.get(0));
        assertEquals(1 + 40 + 3, csv.size());
        assertTrue(csv.get(41).startsWith("macro,total,"), csv.get(41));

        r = CommandRun.of("eval", "linear-probe", "--preset", "tiny", "--manifest", dir.resolve("none.csv").toString(),
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("none.csv"), r.err());
    }
}
