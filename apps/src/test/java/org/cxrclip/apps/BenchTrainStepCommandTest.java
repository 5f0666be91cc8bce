package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench train-step} prints its one parseable line (format only: timings are never asserted). */
class BenchTrainStepCommandTest {
    @Test
    void printsTheTrainStepLineAndThePhasesOnStderr() {
        CommandRun r = CommandRun.of("bench", "train-step", "--model", "tiny", "--batch", "4", "--steps", "1", "--warmup", "0");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("train-step model=tiny batch=4 pairs_per_s=(\\d+\\.\\d\\d) peak_heap_mb=(\\d+)")
                .matcher(r.out().strip());
        assertTrue(m.matches(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
        assertTrue(Long.parseLong(m.group(2)) > 0, r.out());
        assertTrue(r.err().contains("train-step-phases threads="), r.err());
    }

    @Test
    void aBatchOfOneIsRefusedWithAReason() {
        CommandRun r = CommandRun.of("bench", "train-step", "--model", "tiny", "--batch", "1");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--batch must be >= 2"), r.err());
    }
}
