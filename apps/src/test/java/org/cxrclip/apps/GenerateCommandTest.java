package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/** {@code generate} end to end on the random tiny preset with a few steps. */
class GenerateCommandTest {
    @TempDir
    Path dir;
    Path vocab;

    @BeforeEach
    void findVocabulary() {
        vocab = SharedData.vocabulary();
    }

    @Test
    void oneTextWritesAGreyPngOfTheModelResolution() throws Exception {
        Path png = dir.resolve("out/cardiomegaly.png");
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--seed", "1", "--vocab", vocab.toString(),
                "--text", "a frontal chest x-ray of cardiomegaly", "--steps", "3", "--batch", "2", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(32, img.getWidth());
        assertEquals(32, img.getHeight());
        assertEquals(1, img.getRaster().getNumBands(), "grey");
        assertTrue(r.out().contains("similarity"), r.out());
        assertTrue(r.err().contains("step 3/3 similarity"), r.err());
    }

    @Test
    void severalTextsWriteALabelledGrid() throws Exception {
        Path png = dir.resolve("grid.png");
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--vocab", vocab.toString(), "--text", "edema",
                "--text", "pleural effusion", "--steps", "2", "--batch", "2", "--size", "40", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * (160 + 8) + 8, img.getWidth()); // two 40 px images scaled ×4 into 160 px cells
        assertTrue(img.getHeight() > 160 + 16, "room for the captions: " + img.getHeight());
    }

    @Test
    void missingTextIsAOneLineError() {
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--out", dir.resolve("x.png").toString());
        assertEquals(1, r.code());
        assertEquals("generate: give at least one --text \"...\"", r.err().strip());
    }

    @Test
    void unwritableOutputIsAOneLineErrorBeforeAnyWork() throws Exception {
        Path locked = dir.resolve("locked");
        Files.createDirectory(locked, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        assumeTrue(!Files.isWritable(locked), "running as a user who can write anywhere (root)");
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--vocab", vocab.toString(), "--text", "edema",
                "--out", locked.resolve("x.png").toString());
        assertEquals(1, r.code());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("generate: " + locked.resolve("x.png") + ": cannot write there"), err);
    }

    @Test
    void outputUnderAFileIsAOneLineError() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file, not a directory");
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--vocab", vocab.toString(), "--text", "edema",
                "--out", file.resolve("x.png").toString());
        assertEquals(1, r.code());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertEquals("generate: " + file.resolve("x.png") + ": cannot write there (" + file + " is a file, not a directory)", err);
    }

    @Test
    void outputThatIsADirectoryIsAOneLineError() {
        CommandRun r = CommandRun.of("generate", "--preset", "tiny", "--vocab", vocab.toString(), "--text", "edema",
                "--out", dir.toString());
        assertEquals(1, r.code());
        assertEquals("generate: " + dir + ": is a directory, expected a .png file", r.err().strip());
    }
}
