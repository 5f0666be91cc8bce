package org.cxrclip.train.synth;

import static org.cxrclip.train.synth.CxrLtClasses.*;

import java.util.function.Consumer;
import org.cxrclip.engine.Rng;

/**
 * One visual cue per CXR-LT class. {@link #apply} first changes the anatomy where the finding is a change of
 * anatomy (cardiomegaly enlarges the heart, emphysema flattens the domes, kyphosis bends the spine, a
 * pneumothorax clears the markings beyond its pleural line), then returns a {@link Cue}: the overlay to paint
 * after the normal anatomy and the canonical box where the cue lies (tests compare pixels there).
 * Parenchymal cues live in {@link LungFindings}, pleural, mediastinal, bone, soft-tissue and device cues in
 * {@link ChestWallFindings}; the table of which cue means what is in the package documentation.
 */
final class FindingPainter {
    private FindingPainter() {}

    /** The overlay of one finding and the canonical box [u0, u1] × [v0, v1] it affects. */
    record Cue(double u0, double v0, double u1, double v1, Consumer<Canvas> paint) {
        static Cue anatomyOnly(double u0, double v0, double u1, double v1) {
            return new Cue(u0, v0, u1, v1, c -> { });
        }
    }

    /** Adjusts {@code s} for class {@code cls} and returns its overlay; {@code rng} draws side, size and place. */
    static Cue apply(int cls, Scene s, Rng rng) {
        return switch (cls) {
            case ADENOPATHY, AZYGOS_LOBE, AORTIC_CALCIFICATION, CARDIOMEGALY, ENLARGED_CARDIOMEDIASTINUM, HERNIA,
                 PNEUMOMEDIASTINUM, TORTUOUS_AORTA, PULMONARY_HYPERTENSION, KYPHOSIS, CLAVICLE_FRACTURE, FRACTURE,
                 RIB_FRACTURE, SUBCUTANEOUS_EMPHYSEMA, SUPPORT_DEVICES, PNEUMOPERITONEUM, PLEURAL_EFFUSION,
                 PLEURAL_OTHER, PLEURAL_THICKENING, PNEUMOTHORAX, HYDROPNEUMOTHORAX -> ChestWallFindings.apply(cls, s, rng);
            case NORMAL -> Cue.anatomyOnly(0, 0, 0, 0);
            default -> LungFindings.apply(cls, s, rng);
        };
    }

    static int side(Rng rng) {
        return rng.nextDouble() < 0.5 ? -1 : 1;
    }

    /**
     * A point in the lung of {@code side} between heights {@code vLo} and {@code vHi} (fractions from apex to
     * dome), at least {@code margin} inside the lung edge; falls back to the middle of that zone.
     */
    static double[] pointInLung(Scene s, Rng rng, int side, double vLo, double vHi, double margin) {
        double dome = s.dome(side);
        for (int tries = 0; tries < 64; tries++) {
            double v = s.apex + (dome - s.apex) * Scene.uni(rng, vLo, vHi);
            double half = s.hemiHalf(v, side) - margin;
            if (half <= 0) continue;
            double u = s.hemiCenter(side) + Scene.uni(rng, -half, half);
            if (v + margin < s.diaphragm(u, side) && !overHeart(s, u, v, margin)) return new double[] {u, v};
        }
        return new double[] {s.hemiCenter(side), s.apex + (dome - s.apex) * (vLo + vHi) / 2};
    }

    static boolean overHeart(Scene s, double u, double v, double margin) {
        return Canvas.ellipseDist(u, v, s.heartCx, s.heartCy, s.heartRx + margin, s.heartRy + margin) < 0;
    }

    /** Adds {@code f} only where there is lung (soft edge), inside the box. */
    static void inLung(Canvas c, Scene s, double u0, double v0, double u1, double v1, Canvas.Field f) {
        double e = 1.5 * c.px();
        c.add(u0, v0, u1, v1, (u, v) -> {
            double m = s.lung(u, v, e);
            return m == 0 ? 0 : m * f.at(u, v);
        });
    }

    /** A soft round blob of peak {@code value}: full inside r·(1 − soft), fading to 0 at r. */
    static double blob(double u, double v, double cu, double cv, double r, double soft, double value) {
        double d = Math.hypot(u - cu, v - cv) / r;
        if (d >= 1) return 0;
        double inner = 1 - soft;
        return d <= inner ? value : value * (1 - (d - inner) / soft);
    }
}
