package org.cxrclip.train.synth;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * The anatomy of one synthetic radiograph in canonical coordinates (image u to the right = patient's left,
 * v down, thorax in [0, 1]²): a patient's build drawn once ({@link #patient}), then changed by the findings
 * that alter anatomy itself (an enlarged heart, flattened domes, a curved spine) before anything is drawn.
 * Side −1 is the image's left half (patient's right lung), side +1 the image's right half.
 */
public final class Scene {
    double mid, halfWidth, apex, domeRight, domeLeft, domeCurve, mediastinum;
    double heartCx, heartCy, heartRx, heartRy;
    double knobCx, knobCy, knobR, aortaWave, arteryScale = 1, peripheralVessels = 1;
    double lungDark, soft, bone, spineCurve, ribCrowding = 1, clavicleY, carinaY, superiorWidening;
    /** Apex-to-first-dome height the ribs span: fixed per patient, so a raised dome does not move the ribs. */
    double ribSpan;
    double contrast, brightness, noise;
    long vesselSeed;
    /** Which {@link Devices} a "Support Devices" image shows (a non-empty subset; the report names the same). */
    int deviceMask = 1;
    /** Regions (coverage 0..1) where lung markings are absent: pneumothorax, oligaemia, bullae. */
    final List<Canvas.Field> noMarkings = new ArrayList<>();

    private Scene() {}

    /** A patient's anatomy, exposure and noise, drawn from {@code rng}. */
    static Scene patient(Rng rng) {
        Scene s = new Scene();
        s.mid = 0.5 + uni(rng, -0.015, 0.015);
        s.halfWidth = uni(rng, 0.35, 0.41);
        s.apex = uni(rng, 0.10, 0.15);
        s.domeRight = uni(rng, 0.67, 0.73);
        s.domeLeft = s.domeRight + uni(rng, 0.01, 0.04);
        s.domeCurve = uni(rng, 0.05, 0.07);
        s.mediastinum = uni(rng, 0.045, 0.058);
        s.heartRx = uni(rng, 0.145, 0.165);
        s.heartRy = uni(rng, 0.10, 0.12);
        s.heartCx = s.mid + uni(rng, 0.03, 0.05);
        s.heartCy = s.domeLeft - uni(rng, 0.035, 0.055);
        s.knobCx = s.mid + s.mediastinum + uni(rng, 0.0, 0.012);
        s.knobCy = uni(rng, 0.28, 0.31);
        s.knobR = uni(rng, 0.026, 0.034);
        s.lungDark = uni(rng, 0.27, 0.36);
        s.soft = uni(rng, 0.46, 0.54);
        s.bone = uni(rng, 0.08, 0.12);
        s.clavicleY = s.apex + uni(rng, 0.02, 0.05);
        s.carinaY = uni(rng, 0.33, 0.36);
        s.contrast = uni(rng, 0.95, 1.25);
        s.brightness = uni(rng, -0.05, 0.05);
        s.noise = uni(rng, 0.008, 0.025);
        s.vesselSeed = rng.nextLong();
        s.ribSpan = Math.min(s.domeRight, s.domeLeft) - s.apex;
        return s;
    }

    /** A copy for one view of the patient, with small exposure and noise changes. */
    Scene view(Rng rng) {
        Scene s = new Scene();
        s.mid = mid; s.halfWidth = halfWidth; s.apex = apex; s.domeRight = domeRight; s.domeLeft = domeLeft;
        s.domeCurve = domeCurve; s.mediastinum = mediastinum; s.heartCx = heartCx; s.heartCy = heartCy;
        s.heartRx = heartRx; s.heartRy = heartRy; s.knobCx = knobCx; s.knobCy = knobCy; s.knobR = knobR;
        s.lungDark = lungDark; s.soft = soft; s.bone = bone; s.clavicleY = clavicleY; s.carinaY = carinaY;
        s.vesselSeed = vesselSeed;
        s.ribSpan = ribSpan;
        double inspiration = uni(rng, -0.012, 0.012); // breath depth moves the domes
        s.domeRight += inspiration;
        s.domeLeft += inspiration;
        s.heartCy += inspiration;
        s.contrast = contrast * uni(rng, 0.93, 1.07);
        s.brightness = brightness + uni(rng, -0.03, 0.03);
        s.noise = noise * uni(rng, 0.8, 1.25);
        return s;
    }

    static double uni(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    double dome(int side) {
        return side < 0 ? domeRight : domeLeft;
    }

    /** Centre of a hemithorax (u). */
    double hemiCenter(int side) {
        return mid + side * (mediastinum + (halfWidth - mediastinum) / 2);
    }

    /** Half-width of the lung at height v: a rounded apex widening to the full hemithorax by mid-lung. */
    double hemiHalf(double v, int side) {
        double t = (v - apex) / (0.62 * (dome(side) - apex));
        if (t <= 0) return 0;
        return (halfWidth - mediastinum) / 2 * Math.sqrt(Math.min(1, t));
    }

    /** Diaphragm height under u: highest mid-hemithorax, lower at the costophrenic and cardiophrenic angles. */
    double diaphragm(double u, int side) {
        double x = (u - hemiCenter(side)) / ((halfWidth - mediastinum) / 2);
        return dome(side) + domeCurve * x * x;
    }

    /** Lateral costophrenic angle (u, v) of a side. */
    double cpaU(int side) {
        return mid + side * halfWidth;
    }

    double cpaV(int side) {
        return diaphragm(cpaU(side), side);
    }

    /** Coverage of the lungs at (u, v), with an edge {@code e} wide. */
    double lung(double u, double v, double e) {
        int side = u < mid ? -1 : 1;
        double dx = Math.abs(u - hemiCenter(side)) - hemiHalf(v, side);
        double dy = v - diaphragm(u, side);
        return Canvas.edge(Math.max(dx, dy), e);
    }

    /** Spine centre line at height v (kyphoscoliosis bends it). */
    double spineU(double v) {
        return mid + spineCurve * Math.sin(Math.PI * (v - 0.05) / 0.9);
    }
}
