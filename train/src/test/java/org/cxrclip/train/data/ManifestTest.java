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

    /** Found by CsvReadersFuzzTest: these ended in JDK exceptions whose messages named neither file nor line. */
    @Test
    void undecodableBytesDamagedGzipAndNulPathsNameTheFile() throws IOException {
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, "image,Edema\na.png,1\ncaf\u00e9.png,0\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> Manifest.read(csv));
        assertTrue(e.getMessage().startsWith(csv + ":3: not UTF-8 text"), e.getMessage());

        Path gz = Fixtures.text(dir.resolve("m.csv.gz"), "image,Edema\na.png,1\n");
        byte[] whole = Files.readAllBytes(gz);
        for (int cut : new int[] {2, 12, whole.length - 4}) {  // in the gzip header, in the deflate data, in the trailer
            Files.write(gz, java.util.Arrays.copyOf(whole, cut));
            e = assertThrows(IOException.class, () -> Manifest.read(gz));
            assertTrue(e.getMessage().startsWith(gz + ": damaged or truncated gzip data"), cut + ": " + e.getMessage());
        }
        Path notGz = Files.writeString(dir.resolve("plain.csv.gz"), "image\na.png\n");
        e = assertThrows(IOException.class, () -> Manifest.read(notGz));
        assertTrue(e.getMessage().startsWith(notGz + ": damaged or truncated gzip data (Not in GZIP format)"), e.getMessage());

        Files.writeString(csv, "image,Edema\na.png,1\nb\u0000.png,0\n");
        e = assertThrows(IOException.class, () -> Manifest.read(csv));
        assertEquals(csv + ":3: 'image' value is not a valid path", e.getMessage());
        Dataset d = ManifestDataset.load(csv, LoadOptions.defaults().withCheckFiles(false));
        assertEquals(1, d.size());
        assertEquals(List.of("latin1.csv:3"), d.summary().examples().get("'image' value is not a valid path"));
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
