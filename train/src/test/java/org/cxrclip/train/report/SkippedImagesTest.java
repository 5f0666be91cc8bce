package org.cxrclip.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedImagesTest {
    @Test
    void listsEachImageOnceWithItsFirstReasonAndReadsBackWhatItWrote(@TempDir Path dir) throws IOException {
        SkippedImages s = new SkippedImages();
        s.note(Path.of("/data/b.png"), "truncated\nat byte 12");
        s.note(Path.of("/data/a.png"), "not a PNG\tor JPEG");
        s.note(Path.of("/data/b.png"), "a later, different reason");
        s.write(dir);
        assertEquals(List.of("/data/b.png\ttruncated at byte 12", "/data/a.png\tnot a PNG or JPEG"),
                Files.readAllLines(dir.resolve(RunReport.SKIPPED)));

        SkippedImages back = new SkippedImages().readFrom(dir);
        assertEquals(s.asMap(), back.asMap());
        assertEquals(List.of(Path.of("/data/b.png"), Path.of("/data/a.png")), List.copyOf(back.asMap().keySet()));
    }

    @Test
    void aMissingListIsEmptyAndAnEmptyListIsWritten(@TempDir Path dir) throws IOException {
        assertEquals(0, new SkippedImages().readFrom(dir).size());
        new SkippedImages().write(dir);
        assertEquals("", Files.readString(dir.resolve(RunReport.SKIPPED)));
    }

    @Test
    void aLineThatIsNotAPathIsNamedWithItsNumber(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(RunReport.SKIPPED), "/ok.png\tfine\nbad\0name\treason\n");
        var e = assertThrows(IOException.class, () -> new SkippedImages().readFrom(dir));
        assertTrue(e.getMessage().contains(RunReport.SKIPPED + " line 2"), e.getMessage());
    }
}
