package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrclip.train.data.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesImagesAndAManifest() throws Exception {
        CommandRun r = CommandRun.of("data", "synth", "--out", dir.toString(), "--n", "9", "--seed", "4", "--size", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().startsWith("synth: 9 images of 32 px"), r.out());
        Manifest m = Manifest.read(dir.resolve("manifest.csv"));
        assertEquals(9, m.size());
        assertEquals(40, m.labelNames().size());
        assertTrue(Files.isRegularFile(dir.resolve("images/000008.png")));
    }

    @Test
    void badArgumentsGiveOneLineErrors() {
        CommandRun r = CommandRun.of("data", "synth", "--out", dir.toString(), "--n", "0");
        assertEquals(1, r.code());
        assertEquals("synth: --n must be at least 1, got 0", r.err().strip());
        r = CommandRun.of("data", "synth", "--out", dir.toString(), "--n", "3", "--size", "16");
        assertEquals(1, r.code());
        assertEquals("synth: --size must be in [32, 2048] px, got 16", r.err().strip());
        Path file = dir.resolve("a-file");
        assertDoesNotThrow(() -> java.nio.file.Files.writeString(file, "x"));
        r = CommandRun.of("data", "synth", "--out", file.toString(), "--n", "3");
        assertEquals(1, r.code());
        assertEquals("synth: " + file + ": exists and is not a folder", r.err().strip());
    }
}
