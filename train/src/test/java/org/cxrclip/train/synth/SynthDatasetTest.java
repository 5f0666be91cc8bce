package org.cxrclip.train.synth;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.cxrclip.clip.image.DecodedImage;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.engine.Parallel;
import org.cxrclip.train.data.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDatasetTest {
    @TempDir
    Path tmp;

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadsAnotherSeedDiffers() throws IOException {
        SynthDataset.Options o = new SynthDataset.Options(14, 7, 48, 0);
        int threads = Parallel.threads();
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        try {
            Parallel.setThreads(1);
            SynthDataset.generate(a, o, d -> { });
            Parallel.setThreads(Math.max(2, threads));
            SynthDataset.generate(b, o, d -> { });
        } finally {
            Parallel.setThreads(threads);
        }
        SynthDataset.generate(c, new SynthDataset.Options(14, 8, 48, 0), d -> { });
        List<Path> fa = files(a);
        assertEquals(fa, files(b));
        assertEquals(14 + 2, fa.size(), "14 images, manifest.csv, classes.csv (no temporary files left): " + fa);
        int differing = 0;
        for (Path f : fa) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
            if (!Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(c.resolve(f)))) differing++;
        }
        assertTrue(differing >= 14, "another seed changes every image and the manifest, changed: " + differing);
    }

    @Test
    void manifestReadsBackWithFortyLabelsAndDecodableImages() throws IOException {
        Path csv = SynthDataset.generate(tmp, new SynthDataset.Options(25, 3, 40, 0), d -> { });
        Manifest m = Manifest.read(csv);
        assertEquals(CxrLtClasses.names(), m.labelNames());
        assertEquals(25, m.size());
        Set<String> patients = new HashSet<>();
        List<SynthDataset.Item> plan = SynthDataset.plan(new SynthDataset.Options(25, 3, 40, 0));
        for (Manifest.Entry e : m.entries()) {
            patients.add(e.patientId());
            assertNull(e.split(), "no split: the demo splits by patient");
            assertTrue(e.text().startsWith("FINDINGS: ") && e.text().contains(" IMPRESSION: "), e.text());
            assertArrayEquals(plan.get(e.row()).labels(), e.labels());
            assertEquals(plan.get(e.row()).text(), e.text(), "quoting round-trips the report");
            DecodedImage img = ImageDecoder.read(e.image());
            assertEquals(40, img.width());
            assertEquals(40, img.height());
        }
        assertTrue(patients.size() > 3 && patients.size() < 25, "several images per patient: " + patients.size());
        List<String> classes = Files.readAllLines(tmp.resolve("classes.csv"));
        assertEquals(41, classes.size());
        assertEquals("Round(ed) Atelectasis,172,0.000664,1", classes.get(36));
    }

    @Test
    void viewsOfOnePatientShareAnatomyButDiffer() {
        List<SynthDataset.Item> plan = SynthDataset.plan(new SynthDataset.Options(60, 1, 64, 0));
        List<SynthDataset.Item> pair = new ArrayList<>();
        for (int i = 1; i < plan.size() && pair.isEmpty(); i++)
            if (plan.get(i).patientId().equals(plan.get(i - 1).patientId())) pair = List.of(plan.get(i - 1), plan.get(i));
        assertFalse(pair.isEmpty());
        assertEquals(pair.get(0).patientSeed(), pair.get(1).patientSeed());
        assertNotEquals(pair.get(0).imageSeed(), pair.get(1).imageSeed());
    }

    @Test
    void badArgumentsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SynthDataset.Options(0, 1, 64, 0));
        assertTrue(e.getMessage().contains("--n") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SynthDataset.Options(5, 1, 31, 0));
        assertTrue(e.getMessage().contains("--size") && e.getMessage().contains("31"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SynthDataset.Options(5, 1, 64, -0.1));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
    }
}
