package org.cxrclip.train.synth;

import static org.cxrclip.train.synth.CxrLtClasses.*;
import static org.cxrclip.train.synth.FindingPainter.blob;
import static org.cxrclip.train.synth.FindingPainter.inLung;
import static org.cxrclip.train.synth.FindingPainter.pointInLung;
import static org.cxrclip.train.synth.FindingPainter.side;

import org.cxrclip.engine.Rng;
import org.cxrclip.train.synth.FindingPainter.Cue;

/**
 * Cues in the lung parenchyma. Opacities are told apart by size, density, edge and place, as a reader would:
 * nodule (small, round, sharp) / mass (large, round) / granuloma (tiny, calcium-bright) / lung lesion
 * (spiculated) / lung opacity (one broad faint haze) / infiltration (many small patches, both lungs) /
 * pneumonia (a cluster of fluffy patches in one lower zone) / consolidation (dense lower lobe with air
 * bronchograms) / edema (symmetric perihilar haze with Kerley lines) / atelectasis (plate-like basal bands,
 * raised dome) / lobar atelectasis (dense upper-medial triangle) / rounded atelectasis (round basal opacity with
 * a comet tail) / infarction (pleural-based wedge on the lateral wall) / tuberculosis (apical opacity with a
 * cavity) / fibrosis (basal peripheral reticulation) / fissure (thin horizontal line) / emphysema (dark lungs,
 * low flat domes, thin vessels) / pulmonary embolism (a wedge without vessels and a big hilar artery).
 */
final class LungFindings {
    private LungFindings() {}

    static Cue apply(int cls, Scene s, Rng rng) {
        int side = side(rng);
        double w = s.halfWidth, l = s.mid - w, r = s.mid + w;
        double hu = s.hemiCenter(side), hh = (s.halfWidth - s.mediastinum) / 2;
        double su0 = hu - hh - 0.02, su1 = hu + hh + 0.02;
        switch (cls) {
            case NODULE, MASS, GRANULOMA -> {
                double rad = cls == NODULE ? Scene.uni(rng, 0.028, 0.036) : cls == MASS ? Scene.uni(rng, 0.065, 0.085)
                        : Scene.uni(rng, 0.014, 0.018);
                double val = cls == GRANULOMA ? 0.5 : cls == MASS ? 0.26 : 0.34;
                int count = cls == GRANULOMA ? 3 : 1;
                // each kind has its usual zone (mass mid-lateral, nodule mid, granulomas clustered upper-mid),
                // so a small model can find it at 32 px
                double[] zone = cls == MASS ? pointInLung(s, rng, side, 0.45, 0.6, rad + 0.02)
                        : cls == NODULE ? pointInLung(s, rng, side, 0.35, 0.55, 0.06) : pointInLung(s, rng, side, 0.25, 0.4, 0.06);
                double[][] at = new double[count][];
                for (int i = 0; i < count; i++)
                    at[i] = i == 0 ? zone : new double[] {zone[0] + Scene.uni(rng, -0.04, 0.04), zone[1] + Scene.uni(rng, -0.04, 0.04)};
                double[] p = at[0];
                double b0 = cls == GRANULOMA ? su0 : p[0] - 0.12, b1 = cls == GRANULOMA ? su1 : p[0] + 0.12;
                double c0 = cls == GRANULOMA ? s.apex : p[1] - 0.12, c1 = cls == GRANULOMA ? s.dome(side) : p[1] + 0.12;
                return new Cue(b0, c0, b1, c1, c -> {
                    for (double[] q : at) c.ellipse(q[0], q[1], rad, rad, val);
                });
            }
            case LUNG_LESION -> {
                double[] p = pointInLung(s, rng, side, 0.3, 0.5, 0.08);
                double[] angles = new double[7];
                for (int i = 0; i < angles.length; i++) angles[i] = 2 * Math.PI * (i + rng.nextDouble() * 0.6) / angles.length;
                return new Cue(p[0] - 0.1, p[1] - 0.1, p[0] + 0.1, p[1] + 0.1, c -> {
                    c.ellipse(p[0], p[1], 0.035, 0.03, 0.2);
                    for (double a : angles)
                        c.stroke(new double[] {p[0], p[1], p[0] + Math.cos(a) * 0.08, p[1] + Math.sin(a) * 0.08},
                                0.008, 0.003, 0.17);
                });
            }
            case LUNG_OPACITY -> {
                double[] p = pointInLung(s, rng, side, 0.45, 0.65, 0.05);
                return new Cue(su0, p[1] - 0.17, su1, p[1] + 0.17,
                        c -> inLung(c, s, p[0] - 0.16, p[1] - 0.16, p[0] + 0.16, p[1] + 0.16,
                                (u, v) -> blob(u, v, p[0], p[1], 0.16, 0.7, 0.15)));
            }
            case INFILTRATION -> {
                double[][] at = new double[20][];
                for (int i = 0; i < at.length; i++) at[i] = pointInLung(s, rng, i % 2 == 0 ? -1 : 1, 0.2, 0.9, 0.02);
                return new Cue(l, s.apex, r, s.domeLeft, c -> {
                    for (double[] q : at)
                        inLung(c, s, q[0] - 0.045, q[1] - 0.045, q[0] + 0.045, q[1] + 0.045,
                                (u, v) -> blob(u, v, q[0], q[1], 0.04, 0.6, 0.13));
                });
            }
            case PNEUMONIA -> {
                double[] centre = pointInLung(s, rng, side, 0.6, 0.8, 0.08);
                double[][] at = new double[6][];
                for (int i = 0; i < at.length; i++)
                    at[i] = new double[] {centre[0] + Scene.uni(rng, -0.06, 0.06), centre[1] + Scene.uni(rng, -0.05, 0.05)};
                return new Cue(centre[0] - 0.13, centre[1] - 0.12, centre[0] + 0.13, centre[1] + 0.12, c -> {
                    for (double[] q : at)
                        inLung(c, s, q[0] - 0.05, q[1] - 0.05, q[0] + 0.05, q[1] + 0.05,
                                (u, v) -> blob(u, v, q[0], q[1], 0.05, 0.7, 0.13));
                });
            }
            case CONSOLIDATION -> {
                double top = s.dome(side) - Scene.uni(rng, 0.18, 0.24);
                double[] bronchi = {hu - side * 0.06, top + 0.03, hu, top + 0.1, hu + side * 0.04, top + 0.16};
                return new Cue(su0, top - 0.03, su1, s.dome(side) + 0.05, c -> {
                    double e = 2 * c.px();
                    c.over(su0, top - 0.03, su1, s.dome(side) + 0.1, s.soft - 0.02, (u, v) ->
                            0.85 * s.lung(u, v, e) * Canvas.edge(top + 0.05 * side * (u - hu) / hh - v, e));
                    c.stroke(bronchi, 0.005, 0.003, -0.1);
                });
            }
            case EDEMA -> {
                double[] kerley = new double[16];
                for (int i = 0; i < 8; i++) {
                    int sd = i < 4 ? -1 : 1;
                    kerley[2 * i] = s.cpaU(sd) - sd * Scene.uni(rng, 0.02, 0.05);
                    kerley[2 * i + 1] = s.dome(sd) - Scene.uni(rng, 0.01, 0.12);
                }
                return new Cue(l, s.apex, r, s.domeLeft + 0.05, c -> {
                    for (int sd = -1; sd <= 1; sd += 2) {
                        double cu = s.mid + sd * (s.mediastinum + 0.06), cv = s.carinaY + 0.08;
                        inLung(c, s, cu - 0.2, cv - 0.2, cu + 0.2, cv + 0.2, (u, v) -> blob(u, v, cu, cv, 0.2, 0.8, 0.15));
                    }
                    for (int i = 0; i < 8; i++) {
                        double ku = kerley[2 * i], kv = kerley[2 * i + 1], sd = ku < s.mid ? -1 : 1;
                        c.stroke(new double[] {ku, kv, ku - sd * 0.035, kv}, 0.0035, 0.0035, 0.12);
                    }
                });
            }
            case ATELECTASIS -> {
                if (side < 0) s.domeRight -= 0.025;
                else s.domeLeft -= 0.025;
                double v1 = s.dome(side) - Scene.uni(rng, 0.06, 0.09), v2 = v1 - 0.05;
                // the raised dome (volume loss) reshapes the whole hemithorax: the cue's box is all of it
                return new Cue(su0, s.apex - 0.03, su1, s.dome(side) + 0.1, c -> {
                    c.stroke(new double[] {hu - 0.1, v1 + 0.01, hu + 0.1, v1 - 0.01}, 0.013, 0.011, 0.2);
                    c.stroke(new double[] {hu - 0.07, v2, hu + 0.08, v2 + 0.008}, 0.01, 0.008, 0.16);
                });
            }
            case LOBAR_ATELECTASIS -> {
                double base = s.carinaY + 0.02;
                return new Cue(su0, s.apex - 0.02, su1, base + 0.04, c -> {
                    double e = 2 * c.px();
                    c.over(su0, s.apex - 0.02, su1, base + 0.03, s.soft, (u, v) -> {
                        double x = Math.max(0, side * (u - s.mid) - s.mediastinum) / (2 * hh); // 0 medial, 1 lateral
                        return 0.9 * s.lung(u, v, e) * Canvas.edge(v - (base - 0.2 * x), e);
                    });
                });
            }
            case ROUNDED_ATELECTASIS -> {
                double cu = hu + side * hh * 0.55, cv = s.diaphragm(cu, side) - 0.06;
                double hilu = s.mid + side * (s.mediastinum + 0.04), hilv = s.carinaY + 0.07;
                return new Cue(su0, hilv - 0.03, su1, cv + 0.06, c -> {
                    c.ellipse(cu, cv, 0.042, 0.04, 0.2);
                    for (int k = -1; k <= 1; k++)
                        c.stroke(new double[] {cu, cv, (cu + hilu) / 2 + k * 0.02, (cv + hilv) / 2 + 0.03 + k * 0.01,
                                hilu + side * 0.03, hilv + 0.04}, 0.005, 0.003, 0.12);
                });
            }
            case INFARCTION -> {
                double v0 = s.dome(side) - Scene.uni(rng, 0.12, 0.18);
                double wu = s.hemiCenter(side) + side * s.hemiHalf(v0, side);
                return new Cue(wu - 0.1, v0 - 0.08, wu + 0.1, v0 + 0.08, c -> inLung(c, s, wu - 0.08, v0 - 0.07,
                        wu + 0.08, v0 + 0.07, (u, v) -> {
                    // a dome with its flat base on the pleura (Hampton's hump)
                    double depth = side * (wu - u); // distance in from the wall
                    if (depth < 0) return 0;
                    return 0.22 * Canvas.edge(depth / 0.085 + Math.pow(Math.abs(v - v0) / 0.07, 2) - 1, 0.25);
                }));
            }
            case TUBERCULOSIS -> {
                double cu = hu + side * Scene.uni(rng, -0.02, 0.03), cv = s.apex + Scene.uni(rng, 0.06, 0.08);
                return new Cue(su0, s.apex - 0.03, su1, s.carinaY + 0.06, c -> {
                    inLung(c, s, cu - 0.1, cv - 0.1, cu + 0.1, cv + 0.1, (u, v) -> blob(u, v, cu, cv, 0.1, 0.6, 0.16));
                    c.ellipse(cu, cv, 0.036, 0.032, 0.14);
                    c.ellipse(cu, cv, 0.024, 0.02, -0.3);
                    c.stroke(new double[] {cu, cv + 0.02, s.mid + side * (s.mediastinum + 0.04), s.carinaY + 0.04},
                            0.005, 0.004, 0.12);
                });
            }
            case FIBROSIS -> {
                s.domeRight -= 0.02;
                s.domeLeft -= 0.02;
                return new Cue(l, s.carinaY, r, s.domeLeft + 0.04, c -> inLung(c, s, l, s.carinaY, r, 1, (u, v) -> {
                    double periph = Math.abs(u - s.mid) / w, low = (v - s.carinaY) / (s.domeLeft - s.carinaY);
                    if (periph < 0.45 || low < 0.2) return 0;
                    double k = 2 * Math.PI / 0.028;
                    double mesh = Math.max(Math.abs(Math.sin(k * (u + v))), Math.abs(Math.sin(k * (u - v))));
                    return 0.16 * Math.min(1, (periph - 0.45) * 4) * Math.min(1, (low - 0.2) * 3) * (0.4 + 0.6 * mesh * mesh);
                }));
            }
            case FISSURE -> {
                double fv = s.carinaY + Scene.uni(rng, 0.07, 0.1), u0 = s.mid - s.mediastinum - 0.04, u1 = s.mid - w;
                return new Cue(u1 - 0.02, fv - 0.05, u0 + 0.02, fv + 0.05, c -> {
                    double e = 1.5 * c.px();
                    c.stroke(new double[] {u0, fv, (u0 + u1) / 2, fv - 0.006, u1, fv + 0.004}, 0.009, 0.006, 0.22,
                            (u, v) -> s.lung(u, v, e));
                });
            }
            case EMPHYSEMA -> {
                s.domeRight += 0.06;
                s.domeLeft += 0.06;
                s.domeCurve *= 0.3;
                s.lungDark *= 1.3;
                s.heartRx *= 0.85;
                s.heartCy += 0.04;
                s.peripheralVessels *= 0.55;
                return Cue.anatomyOnly(l, s.apex, r, s.domeLeft + 0.1);
            }
            case PULMONARY_EMBOLISM -> {
                double cu = hu + side * hh * 0.3, cv = s.apex + (s.dome(side) - s.apex) * 0.45;
                Canvas.Field wedge = (u, v) -> blob(u, v, cu, cv, 0.11, 0.5, 1);
                s.noMarkings.add(wedge);
                double au = s.mid + side * (s.mediastinum + 0.035), av = s.carinaY + 0.06;
                return new Cue(su0, s.apex, su1, s.dome(side), c -> {
                    inLung(c, s, cu - 0.11, cv - 0.11, cu + 0.11, cv + 0.11, (u, v) -> -0.07 * wedge.at(u, v));
                    c.ellipse(au, av, 0.035, 0.055, 0.14);
                });
            }
            default -> throw new IllegalArgumentException("no lung cue for class " + cls);
        }
    }
}
