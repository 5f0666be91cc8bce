package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests written by us read back through the existing {@link Manifest} reader. */
class ManifestWriterTest {
    @TempDir
    Path dir;

    @Test
    void datasetRoundTripsThroughManifestRead() throws IOException {
        Sample a = new Sample(0, dir.resolve("imgs/a.png"), "p1", "s1", "PA", "Heart, \"big\".\nNo effusion.", "train",
                new float[] {1, Float.NaN});
        Sample b = new Sample(1, Path.of("/elsewhere/b.png"), "p2", null, null, null, null, new float[] {0, 0});
        Path csv = dir.resolve("m.csv");
        ManifestWriter.write(new Dataset(List.of("Edema", "Pleural Effusion"), List.of(a, b), null), csv);
        Manifest m = Manifest.read(csv, List.of("Edema", "Pleural Effusion"));
        assertEquals(dir.resolve("imgs/a.png"), m.entries().get(0).image());
        assertEquals(Path.of("/elsewhere/b.png"), m.entries().get(1).image());
        assertEquals(a.text(), m.entries().get(0).text());
        assertEquals("train", m.entries().get(0).split());
        assertArrayEquals(new float[] {1, -1}, m.entries().get(0).labels(), "NaN (ignored uncertain) is written as -1");
        assertTrue(Files.readString(csv).startsWith("image,patient_id,study_id,view,text,split,Edema,Pleural Effusion\n"));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp file left");
        }
    }

    @Test
    void withColumnKeepsOriginalColumnsAndRebasesImages() throws IOException {
        Path src = Fixtures.text(dir.resolve("in/labels.csv"), "id,image,patient_id,age,Edema\nx,imgs/x.png,7,61,1\ny,imgs/y.png,8,,0\n");
        Path out = dir.resolve("splits/labels.csv");
        ManifestWriter.withColumn(Csv.read(src), out, "split", Map.of(0, "val"));
        assertEquals("id,image,patient_id,age,Edema,split\nx,../in/imgs/x.png,7,61,1,val\ny,../in/imgs/y.png,8,,0,\n"
                .replace("../in/imgs", dir.resolve("in/imgs").toString()), Files.readString(out));
        Manifest m = Manifest.read(out);
        assertEquals(List.of("Edema"), m.labelNames());
        assertEquals("val", m.entries().get(0).split());
        assertEquals(dir.resolve("in/imgs/y.png"), m.entries().get(1).image());
    }
}
