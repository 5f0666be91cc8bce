package org.cxrclip.train.synth;

import static org.cxrclip.train.synth.CxrLtClasses.*;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * Renders one synthetic radiograph: a view of a patient (pose, breath, exposure), the findings of its label
 * vector, the normal anatomy, the findings' overlays, then exposure and noise into 8-bit gray.
 *
 * <p>Every random choice has its own stream derived from the image seed (pose, view, noise, device subset,
 * and one per class), so adding or removing one finding changes only that finding's pixels: the per-class
 * test renders a patient with and without a finding and compares them where the cue should be.
 */
public final class Radiograph {
    /** Findings that change anatomy go first, so overlays placed later see the final heart, domes and spine. */
    private static final int[] ORDER = order();

    private Radiograph() {}

    /** The pixels (row-major, size²) and the canonical boxes of the drawn cues (for tests). */
    public record Rendered(int size, byte[] gray, List<FindingPainter.Cue> cues) {}

    private static int[] order() {
        int[] first = {CARDIOMEGALY, ENLARGED_CARDIOMEDIASTINUM, EMPHYSEMA, KYPHOSIS, TORTUOUS_AORTA,
                PULMONARY_HYPERTENSION, ATELECTASIS, FIBROSIS};
        int[] out = new int[COUNT];
        boolean[] used = new boolean[COUNT];
        int k = 0;
        for (int c : first) {
            out[k++] = c;
            used[c] = true;
        }
        for (int c = 0; c < COUNT; c++) if (!used[c]) out[k++] = c;
        return out;
    }

    /** The device subset a "Support Devices" image shows: a non-empty subset of {@link Devices}' five. */
    public static int deviceMask(long imageSeed) {
        return 1 + (int) Long.remainderUnsigned(Rng.hash(imageSeed, 0xDE71CEL), 31);
    }

    /**
     * Renders the image of {@code labels} (CXR-LT order, 1 = present) for a patient; {@code pose} false keeps
     * the canonical pose (tests), true draws a small rotation, scale and shift from the image seed.
     */
    public static Rendered render(Scene patient, float[] labels, int size, long imageSeed, boolean pose) {
        if (labels.length != COUNT) throw new IllegalArgumentException("labels: expected " + COUNT + " values, got " + labels.length);
        if (size < 32) throw new IllegalArgumentException("image size must be at least 32 px, got " + size);
        Rng poseRng = new Rng(Rng.hash(imageSeed, 1));
        Scene s = patient.view(new Rng(Rng.hash(imageSeed, 2)));
        s.deviceMask = deviceMask(imageSeed);
        List<FindingPainter.Cue> cues = new ArrayList<>();
        for (int cls : ORDER)
            if (labels[cls] == 1) cues.add(FindingPainter.apply(cls, s, new Rng(Rng.hash(imageSeed, 100 + cls))));
        Canvas c = pose
                ? new Canvas(size, Math.toRadians(Scene.uni(poseRng, -2.5, 2.5)), Scene.uni(poseRng, 0.96, 1.04),
                        Scene.uni(poseRng, -0.02, 0.02), Scene.uni(poseRng, -0.02, 0.02))
                : new Canvas(size, 0, 1, 0, 0);
        ThoraxPhantom.draw(s, c);
        for (FindingPainter.Cue cue : cues) cue.paint().accept(c);
        byte[] gray = c.toGray(s.contrast, s.brightness, s.noise, new Rng(Rng.hash(imageSeed, 3)));
        return new Rendered(size, gray, cues);
    }

    /** A patient's anatomy for a patient seed. */
    public static Scene patient(long patientSeed) {
        return Scene.patient(new Rng(patientSeed));
    }
}
