package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsBlankLabelsAndMixedSeparators() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "\uFEFFimage,patient_id,text,split,Cardiomegaly,Pleural Effusion\r\n"
                + "imgs\\a.png,p1,\"Heart is enlarged, \"\"marked\"\".\nNo effusion.\",train,1,0\r\n"
                + "imgs/b.png,p2,,test,-1,\n");
        Manifest m = Manifest.read(csv);
        assertEquals(List.of("Cardiomegaly", "Pleural Effusion"), m.labelNames());
        assertEquals(2, m.size());
        Manifest.Entry a = m.entries().get(0);
        assertEquals(dir.resolve("imgs/a.png").toAbsolutePath(), a.image());
        assertEquals("Heart is enlarged, \"marked\".\nNo effusion.", a.text());
        assertEquals("train", a.split());
        assertArrayEquals(new float[] {1, 0}, a.labels());
        Manifest.Entry b = m.entries().get(1);
        assertEquals(-1f, b.labels()[0]);
        assertTrue(Float.isNaN(b.labels()[1]));
        assertEquals("", b.text());
    }

    @Test
    void badRowsNameTheFileAndLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "image,Edema\na.png,1\nb.png,2\n");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(csv, List.of("Edema")));
        assertTrue(e.getMessage().contains("bad.csv:3") && e.getMessage().contains("'2'"), e.getMessage());
        Files.writeString(csv, "path,Edema\na.png,1\n");
        e = assertThrows(IOException.class, () -> Manifest.read(csv));
        assertTrue(e.getMessage().contains("no 'image' column"), e.getMessage());
        Files.writeString(csv, "image,Edema\na.png,1,3\n");
        e = assertThrows(IOException.class, () -> Manifest.read(csv));
        assertTrue(e.getMessage().contains("bad.csv:2: 3 fields"), e.getMessage());
        Files.writeString(csv, "image,split\na.png,training\n");
        e = assertThrows(IOException.class, () -> Manifest.read(csv));
        assertTrue(e.getMessage().contains("'training'"), e.getMessage());
    }

    @Test
    void readsTheSharedNihSampleAsAManifest() throws IOException {
        Manifest m = Manifest.read(SharedData.require("data/nih-cxr14/labels.csv"));
        assertEquals(621, m.size());
        assertEquals(15, m.labelNames().size(), m.labelNames().toString());
        assertEquals("Atelectasis", m.labelNames().get(0));
        assertEquals("No Finding", m.labelNames().get(14));
        assertTrue(Files.isRegularFile(m.entries().get(0).image()));
        assertNull(m.entries().get(0).split());
    }
}
