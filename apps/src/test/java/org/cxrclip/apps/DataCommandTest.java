package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cxrclip.clip.image.DecodedImage;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.engine.Rng;
import org.cxrclip.train.data.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data prepare}, {@code data stats} and {@code data split} end to end on a small manifest. */
class DataCommandTest {
    @TempDir
    Path dir;

    private void image(String name, int w, int h, long seed) throws IOException {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
        Path p = dir.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        ImageIO.write(img, name.endsWith(".png") ? "png" : "jpeg", p.toFile());
    }

    private Path manifest() throws IOException {
        image("imgs/a.jpg", 120, 90, 1);
        image("imgs/b.png", 40, 50, 2);
        Files.writeString(dir.resolve("src/imgs/c.png"), "broken");
        Path csv = dir.resolve("src/labels.csv");
        Files.writeString(csv, "id,image,patient_id,age,Edema,Hernia\n"
                + "a,imgs/a.jpg,1,60,1,0\nb,imgs\\b.png,2,,0,0\nc,imgs/c.png,3,,1,1\n");
        return csv;
    }

    @Test
    void prepareShrinksSkipsBrokenImagesAndResumes() throws IOException {
        Path csv = manifest();
        Path out = dir.resolve("prepared");
        CommandRun r = CommandRun.of("data", "prepare", "--manifest", csv.toString(), "--out", out.toString(), "--size", "64", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 written, 0 already done, 1 skipped"), r.out());
        assertTrue(r.err().contains("c.png"), r.err());
        assertTrue(Files.readString(out.resolve("skipped.txt")).contains("c.png"));
        Manifest m = Manifest.read(out.resolve("manifest.csv"));
        assertEquals(List.of("Edema", "Hernia"), m.labelNames());
        assertEquals(2, m.size());
        assertTrue(Files.readString(out.resolve("manifest.csv")).startsWith("id,image,patient_id,age,Edema,Hernia\na,images/imgs/a_jpg.png,1,60,1,0\n"),
                Files.readString(out.resolve("manifest.csv")));
        DecodedImage a = ImageDecoder.read(m.entries().get(0).image());
        assertEquals(85, a.width());  // 120x90 → shorter side 64: 85x64
        assertEquals(64, a.height());
        assertEquals(40, ImageDecoder.read(m.entries().get(1).image()).width(), "smaller than --size: not enlarged");

        CommandRun again = CommandRun.of("data", "prepare", "--manifest", csv.toString(), "--out", out.toString(), "--size", "64");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 written, 2 already done, 1 skipped"), again.out());
    }

    @Test
    void statsPrintsCountsAndRareGroup() throws IOException {
        Path csv = manifest();
        CommandRun r = CommandRun.of("data", "stats", "--manifest", csv.toString(), "--rare-threshold", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 images, 3 patients, 2 labels"), r.out());
        assertTrue(r.out().contains("base (1, >= 2 positives): Edema"), r.out());
        assertTrue(r.out().contains("rare (1, < 2 positives): Hernia"), r.out());
    }

    @Test
    void splitWritesAPatientLevelSplitColumn() throws IOException {
        StringBuilder sb = new StringBuilder("image,patient_id,Edema\n");
        for (int i = 0; i < 40; i++) sb.append("imgs/x").append(i).append(".png,").append(i / 2).append(',').append(i % 5 == 0 ? 1 : 0).append('\n');
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, sb.toString());
        Path out = dir.resolve("m_split.csv");
        CommandRun r = CommandRun.of("data", "split", "--manifest", csv.toString(), "--no-check-files", "--out", out.toString(),
                "--val", "0.2", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        Manifest m = Manifest.read(out);
        Map<String, String> byPatient = new HashMap<>();
        int val = 0;
        for (Manifest.Entry e : m.entries()) {
            String prev = byPatient.put(e.patientId(), e.split());
            assertTrue(prev == null || prev.equals(e.split()), "patient " + e.patientId() + " in two splits");
            if (e.split().equals("val")) val++;
        }
        assertEquals(8, val, "4 of 20 patients, 2 images each");
        CommandRun folds = CommandRun.of("data", "split", "--manifest", csv.toString(), "--no-check-files", "--out", out.toString(), "--folds", "5");
        assertEquals(0, folds.code(), folds.err());
        assertTrue(Files.readString(out).startsWith("image,patient_id,Edema,fold\n"), Files.readString(out));
        assertEquals(List.of("Edema"), Manifest.read(out).labelNames(), "the fold column is not taken for a label");
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "file,Edema\na.png,1\n");
        CommandRun r = CommandRun.of("data", "stats", "--manifest", csv.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().startsWith("stats: ") && r.err().contains("bad.csv") && r.err().contains("missing column 'image'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CommandRun none = CommandRun.of("data", "stats");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("give exactly one data source"), none.err());
        CommandRun label = CommandRun.of("data", "stats", "--manifest", manifest().toString(), "--labels", "Edema,Nodule");
        assertEquals(1, label.code());
        assertTrue(label.err().contains("unknown label 'Nodule'") && label.err().contains("known: Edema, Hernia"), label.err());
    }
}
