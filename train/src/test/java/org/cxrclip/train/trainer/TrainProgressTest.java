package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainProgressTest {
    @Test
    void lineShowsLossLrThroughputAndEta() {
        assertEquals("epoch 2/5 step 13/40 loss 0.6931 lr 1.00e-04 12.3 img/s ETA 2m05s",
                TrainProgress.line(2, 5, 13, 40, 0.69314, 1e-4, 12.34, 125));
        assertEquals("42s", TrainProgress.duration(41.6));
        assertEquals("2h05m", TrainProgress.duration(2 * 3600 + 5 * 60 + 59));
        assertEquals("?", TrainProgress.duration(Double.NaN));
    }

    @Test
    void inPlaceRedrawsWithCarriageReturnAndEndsTheEpochWithANewline() {
        var bytes = new ByteArrayOutputStream();
        var p = new TrainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.startEpoch(0, 1, 2, 2);
        p.step(1, 1e-3, 0.5, 8);
        p.step(2, 1e-3, 0.3, 16);
        p.endEpoch();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, s.chars().filter(c -> c == '\r').count(), s);
        assertTrue(s.contains("step 2/2 loss 0.4000"), s); // running mean of 0.5 and 0.3
        assertTrue(s.endsWith(System.lineSeparator()), s);
    }

    @Test
    void inALogOnlyTheEpochEndLineIsPrintedForAShortEpoch() {
        var bytes = new ByteArrayOutputStream();
        var p = new TrainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.startEpoch(0, 1, 2, 2);
        p.step(1, 1e-3, 0.5, 8);
        p.step(2, 1e-3, 0.3, 16);
        p.endEpoch();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, s.lines().count(), s);
        assertTrue(s.startsWith("epoch 1/1 step 2/2 loss 0.4000 lr 1.00e-03"), s);
    }
}
