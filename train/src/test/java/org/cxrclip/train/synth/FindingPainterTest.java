package org.cxrclip.train.synth;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every class is drawable alone, where its cue should be, and its cue is not another class's cue. */
class FindingPainterTest {
    private static final int SIZE = 64;

    private static float[] only(int cls) {
        float[] y = new float[CxrLtClasses.COUNT];
        y[cls] = 1;
        return y;
    }

    /** Per-pixel difference (gray levels) between the image with only {@code cls} and the normal image. */
    private static float[] cueDiff(long patientSeed, int cls, long imageSeed) {
        Scene patient = Radiograph.patient(patientSeed);
        byte[] normal = Radiograph.render(patient, only(CxrLtClasses.NORMAL), SIZE, imageSeed, false).gray();
        byte[] with = Radiograph.render(patient, only(cls), SIZE, imageSeed, false).gray();
        float[] d = new float[normal.length];
        for (int i = 0; i < d.length; i++) d[i] = (with[i] & 255) - (normal[i] & 255);
        return d;
    }

    @Test
    void everyClassChangesTheImageWhereItsCueIs() {
        List<String> failures = new ArrayList<>();
        for (int cls = 0; cls < CxrLtClasses.COUNT; cls++) {
            if (cls == CxrLtClasses.NORMAL) continue;
            String name = CxrLtClasses.get(cls).name();
            for (long patient = 1; patient <= 3; patient++) {
                Scene s = Radiograph.patient(patient);
                Radiograph.Rendered r = Radiograph.render(s, only(cls), SIZE, 17 + patient, false);
                float[] d = cueDiff(patient, cls, 17 + patient);
                FindingPainter.Cue cue = r.cues().getFirst();
                // canonical pose: pixel x covers u in [x/SIZE, (x+1)/SIZE)
                int x0 = Math.max(0, (int) Math.floor(cue.u0() * SIZE)), x1 = Math.min(SIZE, (int) Math.ceil(cue.u1() * SIZE));
                int y0 = Math.max(0, (int) Math.floor(cue.v0() * SIZE)), y1 = Math.min(SIZE, (int) Math.ceil(cue.v1() * SIZE));
                double inside = 0, outside = 0, changedInside = 0;
                for (int y = 0; y < SIZE; y++)
                    for (int x = 0; x < SIZE; x++) {
                        double a = Math.abs(d[y * SIZE + x]);
                        boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                        if (in) inside += a;
                        else outside += a;
                        if (in && a >= 8) changedInside++;
                    }
                if (changedInside < 6) failures.add(name + " (patient " + patient + "): only " + changedInside
                        + " pixels inside its box changed by >= 8 gray levels");
                if (inside < 0.8 * (inside + outside)) failures.add(name + " (patient " + patient + "): "
                        + Math.round(100 * inside / (inside + outside)) + " % of the change lies in its box");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void noTwoClassesDrawTheSameCue() {
        List<float[]> diffs = new ArrayList<>();
        for (int cls = 0; cls < CxrLtClasses.COUNT; cls++) diffs.add(cueDiff(4, cls, 99));
        for (int a = 0; a < CxrLtClasses.COUNT; a++) {
            if (a == CxrLtClasses.NORMAL) continue;
            for (int b = a + 1; b < CxrLtClasses.COUNT; b++) {
                if (b == CxrLtClasses.NORMAL) continue;
                double dot = 0, na = 0, nb = 0;
                float[] x = diffs.get(a), y = diffs.get(b);
                for (int i = 0; i < x.length; i++) {
                    dot += x[i] * y[i];
                    na += x[i] * x[i];
                    nb += y[i] * y[i];
                }
                double cos = dot / Math.sqrt(na * nb);
                assertTrue(cos < 0.9, CxrLtClasses.get(a).name() + " and " + CxrLtClasses.get(b).name()
                        + " draw nearly the same change (cosine " + cos + ")");
            }
        }
    }

    @Test
    void tooSmallImagesAndWrongLabelVectorsAreRefused() {
        Scene s = Radiograph.patient(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Radiograph.render(s, only(0), 31, 1, false));
        assertTrue(e.getMessage().contains("31"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Radiograph.render(s, new float[14], 64, 1, false));
        assertTrue(e.getMessage().contains("14"), e.getMessage());
    }
}
