package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit protocol of a partitioned output folder, without Spark: two attempts of one partition (a
 * speculative or retried task and the original) both finishing, a killed task's leftover attempt file, and a
 * rerun with another plan.
 */
class PartitionedOutputTest {
    static final Configuration CONF = new Configuration();
    static final Map<String, String> PLAN = Map.of("partitions", "5", "model", "tiny:0");

    static void writeAttempt(PartitionedOutput out, int index, long attempt, String text) throws IOException {
        Files.writeString(Path.of(out.attempt(index, attempt).toUri()), text);
    }

    static String read(org.apache.hadoop.fs.Path p) throws IOException {
        return Files.readString(Path.of(p.toUri()), StandardCharsets.UTF_8);
    }

    @Test
    void theSecondOfTwoFinishingAttemptsLeavesTheFirstsPartAndNoAttemptFile(@TempDir Path tmp) throws IOException {
        var out = new PartitionedOutput(tmp.resolve("out").toUri().toString());
        assertEquals(Set.of(), out.prepare(PLAN, CONF));
        writeAttempt(out, 3, 11, "rows of attempt 11");
        writeAttempt(out, 3, 12, "rows of attempt 12");
        assertFalse(out.committed(3, CONF));
        out.commit(3, 11, 7, CONF);
        out.commit(3, 12, 7, CONF); // lost the race: no error, its file is dropped
        assertTrue(out.committed(3, CONF));
        assertEquals("rows of attempt 11", read(out.part(3)));
        assertFalse(Files.exists(Path.of(out.attempt(3, 11).toUri())));
        assertFalse(Files.exists(Path.of(out.attempt(3, 12).toUri())));
        assertEquals("rows=7\n", read(out.marker(3)));
    }

    @Test
    void aRerunDropsAKilledTasksAttemptFileAndReportsOnlyCommittedParts(@TempDir Path tmp) throws IOException {
        var out = new PartitionedOutput(tmp.resolve("out").toUri().toString());
        out.prepare(PLAN, CONF);
        writeAttempt(out, 1, 5, "done");
        out.commit(1, 5, 2, CONF);
        writeAttempt(out, 4, 9, "half written by a task that was killed");
        // A part file without its marker (killed between rename and marker) is not done either.
        writeAttempt(out, 2, 6, "renamed, not marked");
        Files.move(Path.of(out.attempt(2, 6).toUri()), Path.of(out.part(2).toUri()));

        assertEquals(Set.of(1), out.prepare(PLAN, CONF));
        assertFalse(Files.exists(Path.of(out.attempt(4, 9).toUri())), "the killed task's attempt file is removed");
        assertEquals("done", read(out.part(1)));
    }

    @Test
    void aRerunWithAnotherPlanIsRefusedNamingWhatDiffers(@TempDir Path tmp) throws IOException {
        var out = new PartitionedOutput(tmp.resolve("out").toUri().toString());
        out.prepare(PLAN, CONF);
        var e = assertThrows(IllegalArgumentException.class, () -> out.prepare(Map.of("partitions", "6", "model", "tiny:0"), CONF));
        assertTrue(e.getMessage().contains("holds output of a different job (partitions: was 5, now 6)"), e.getMessage());
    }
}
