package org.cxrclip.train.synth;

import org.cxrclip.engine.Rng;

/**
 * Draws the normal anatomy of a frontal (PA) chest radiograph from a {@link Scene}: soft tissue of neck,
 * shoulders and trunk, the two lung fields with branching vessel markings from the hila, heart, mediastinum
 * with aortic knob and descending aorta, trachea and main bronchi, spine, posterior ribs, clavicles, humeral
 * heads, liver and gastric bubble under the domes. Findings are painted afterwards by {@link FindingPainter}.
 * The drawing is deterministic given the scene (vessels come from the patient's own seed), so two views of a
 * patient share their vessel tree.
 */
final class ThoraxPhantom {
    private ThoraxPhantom() {}

    static void draw(Scene s, Canvas c) {
        double e = c.px();
        // air outside the body, then the trunk with neck and shoulders
        c.add(-0.2, -0.2, 1.2, 1.2, (u, v) -> 0.04);
        c.add(-0.2, -0.2, 1.2, 1.2, (u, v) -> {
            double half = v < 0.06 ? 0.13 : v < 0.2 ? 0.13 + (0.62 - 0.13) * Math.sqrt((v - 0.06) / 0.14)
                    : s.halfWidth + 0.075 + 0.08 * Math.max(0, 0.35 - v);
            return (s.soft - 0.04) * Canvas.edge(Math.abs(u - s.mid) - half, 3 * e);
        });
        // liver under the right dome is a little denser than the rest of the abdomen
        c.add(s.mid - s.halfWidth, s.domeRight - 0.05, s.mid, 1.2,
                (u, v) -> 0.05 * Canvas.edge(s.diaphragm(u, -1) - v, 4 * e));
        // lungs: air removes density; slightly darker at the bases where lung is thicker
        c.add(s.mid - s.halfWidth - 0.02, s.apex - 0.02, s.mid + s.halfWidth + 0.02, 1.0,
                (u, v) -> -s.lungDark * (0.85 + 0.3 * (v - s.apex)) * s.lung(u, v, 1.5 * e));
        vessels(s, c);
        // gastric bubble under the left dome
        double gu = s.hemiCenter(1) + 0.02, gv = s.domeLeft + 0.055;
        c.ellipse(gu, gv, 0.05, 0.028, -0.22);
        mediastinum(s, c);
        spine(s, c);
        ribs(s, c);
        for (int side = -1; side <= 1; side += 2) {
            clavicle(s, c, side);
            double hu = s.mid + side * (s.halfWidth + 0.1), hv = s.clavicleY + 0.03;
            c.ellipse(hu, hv, 0.06, 0.065, s.bone * 1.6);
            c.stroke(new double[] {hu + side * 0.01, hv, hu + side * 0.03, 0.55}, 0.035, 0.028, s.bone * 1.4);
        }
    }

    private static void mediastinum(Scene s, Canvas c) {
        double e = c.px();
        // superior mediastinum: a band from the neck down into the heart
        double band = s.mediastinum * 1.3 + s.superiorWidening + 0.02;
        c.over(s.mid - band, -0.1, s.mid + band, s.heartCy, s.soft,
                (u, v) -> {
                    // an enlarged cardiomediastinum widens the band above the heart, fading out towards it
                    double widen = s.superiorWidening * Math.max(0, Math.min(1, (s.heartCy - 0.04 - v) / 0.12));
                    return Canvas.edge(Math.abs(u - s.mid) - s.mediastinum * (1 + 0.25 * Math.max(0, v - 0.3)) - widen, 2 * e);
                });
        // aortic knob and descending aorta along the left of the spine
        c.over(s.knobCx - s.knobR - 0.02, s.knobCy - s.knobR - 0.02, s.knobCx + s.knobR + 0.02, s.knobCy + s.knobR + 0.02,
                s.soft, (u, v) -> Canvas.edge(Canvas.ellipseDist(u, v, s.knobCx, s.knobCy, s.knobR, s.knobR), 2 * e));
        // descending aorta: opaque from the spine out to its lateral wall (a tortuous aorta bulges into the lung)
        double span = s.domeLeft - s.knobCy;
        c.over(s.mid, s.knobCy, s.knobCx + s.knobR + 0.1, s.domeLeft, s.soft, (u, v) -> {
            double t = (v - s.knobCy) / span;
            double wall = s.knobCx + 0.012 - 0.02 * t + s.aortaWave * Math.sin(Math.PI * 1.5 * t);
            return Canvas.edge(u - wall, 2 * e) * Canvas.edge((t - 0.97) * span, 2 * e);
        });
        // heart: opaque soft tissue over the medial lungs, its base merging into the domes
        c.over(s.heartCx - s.heartRx - 0.03, s.heartCy - s.heartRy - 0.03, s.heartCx + s.heartRx + 0.03,
                s.heartCy + s.heartRy + 0.05, s.soft + 0.02,
                (u, v) -> Canvas.edge(Canvas.ellipseDist(u, v, s.heartCx, s.heartCy, s.heartRx, s.heartRy), 2.5 * e));
        // hilar pulmonary arteries
        for (int side = -1; side <= 1; side += 2) {
            double hu = s.mid + side * (s.mediastinum + 0.03), hv = s.carinaY + 0.05;
            c.ellipse(hu, hv, 0.022 * s.arteryScale, 0.04 * s.arteryScale, 0.1);
        }
        // trachea and main bronchi: air columns
        double tw = 0.015;
        c.stroke(new double[] {s.mid, -0.05, s.mid, s.carinaY}, tw, tw, -0.13);
        c.stroke(new double[] {s.mid, s.carinaY, s.mid - 0.05, s.carinaY + 0.05}, tw * 0.8, tw * 0.6, -0.11);
        c.stroke(new double[] {s.mid, s.carinaY, s.mid + 0.06, s.carinaY + 0.06}, tw * 0.8, tw * 0.6, -0.11);
    }

    /** Vessel trees fanning out from each hilum, tapering, absent where a finding clears the markings. */
    private static void vessels(Scene s, Canvas c) {
        Rng rng = new Rng(s.vesselSeed);
        double e = c.px();
        Canvas.Field mask = (u, v) -> {
            double m = s.lung(u, v, 2 * e);
            for (Canvas.Field f : s.noMarkings) m *= 1 - f.at(u, v);
            return m;
        };
        for (int side = -1; side <= 1; side += 2) {
            double hu = s.mid + side * (s.mediastinum + 0.035), hv = s.carinaY + 0.06;
            int branches = 7;
            for (int b = 0; b < branches; b++) {
                double angle = Math.toRadians(-70 + 150.0 * (b + Scene.uni(rng, 0.2, 0.8)) / branches);
                double len = Scene.uni(rng, 0.16, 0.26) * (0.6 + 0.4 * s.peripheralVessels);
                double[] pts = new double[8];
                double u = hu, v = hv, a = angle;
                for (int k = 0; k < 4; k++) {
                    pts[2 * k] = u;
                    pts[2 * k + 1] = v;
                    a += Scene.uni(rng, -0.25, 0.25);
                    u += side * Math.cos(a) * len / 3;
                    v += Math.sin(a) * len / 3;
                }
                double w = 0.006 * s.arteryScale;
                c.stroke(pts, w, 0.0025 * s.peripheralVessels, 0.09, mask);
                // one side branch from the middle of each vessel
                double su = pts[4], sv = pts[5], sa = a + (rng.nextDouble() < 0.5 ? -0.6 : 0.6);
                c.stroke(new double[] {su, sv, su + side * Math.cos(sa) * len * 0.4, sv + Math.sin(sa) * len * 0.4},
                        0.003, 0.0018, 0.08 * s.peripheralVessels, mask);
            }
        }
    }

    private static void spine(Scene s, Canvas c) {
        double e = c.px(), h = 0.042;
        for (double v = 0.02; v < 0.98; v += h) {
            final double vc = v + h / 2, uc = s.spineU(vc);
            // a vertebral body, its end-plates separated by a darker disc space
            c.add(uc - 0.05, v - 0.01, uc + 0.05, v + h + 0.01, (u, w) -> 0.06 * Canvas.edge(
                    Math.max(Math.abs(u - uc) - 0.032, Math.abs(w - vc) - h * 0.36), 1.5 * e));
            c.ellipse(uc - 0.026, vc - 0.006, 0.007, 0.009, 0.04);
            c.ellipse(uc + 0.026, vc - 0.006, 0.007, 0.009, 0.04);
        }
    }

    private static void ribs(Scene s, Canvas c) {
        int count = 10;
        double span = s.ribSpan * s.ribCrowding;
        for (int side = -1; side <= 1; side += 2) {
            for (int k = 0; k < count; k++) {
                double[] pts = rib(s, side, k, count, span);
                c.stroke(pts, 0.0095, 0.008, s.bone);
            }
        }
    }

    /** The polyline of posterior rib k on a side: out from the spine, up a little, down the lateral wall. */
    static double[] rib(Scene s, int side, int k, int count, double span) {
        double y0 = s.apex - 0.01 + span * k / (count - 1) * 0.95;
        double width = (s.halfWidth + 0.012) * Math.min(1, 0.55 + 0.45 * Math.sqrt((k + 1) / 4.0));
        double[] pts = new double[18];
        for (int i = 0; i < 9; i++) {
            double t = i / 8.0;
            double start = s.spineU(y0) + side * 0.03;
            pts[2 * i] = start + side * (width - 0.03) * Math.sin(t * Math.PI / 2);
            pts[2 * i + 1] = y0 - 0.025 * Math.sin(t * Math.PI) + 0.10 * t * t;
        }
        return pts;
    }

    private static void clavicle(Scene s, Canvas c, int side) {
        double[] pts = new double[12];
        for (int i = 0; i < 6; i++) {
            double t = i / 5.0;
            pts[2 * i] = s.mid + side * (0.035 + 0.29 * t);
            pts[2 * i + 1] = s.clavicleY + 0.04 - 0.05 * t + 0.012 * Math.sin(2 * Math.PI * t);
        }
        c.stroke(pts, 0.013, 0.011, s.bone * 1.5);
    }

    /** A point on the clavicle of a side at fraction t from the sternum (for fractures). */
    static double[] claviclePoint(Scene s, int side, double t) {
        return new double[] {s.mid + side * (0.035 + 0.29 * t), s.clavicleY + 0.04 - 0.05 * t + 0.012 * Math.sin(2 * Math.PI * t)};
    }
}
